"""Reference tables of the synthetic registry: hospitals, ICD-10 diagnoses and treatment results.

Everything here is data; the generator only draws from it. Weights are relative.
"""

import unicodedata


def _nfc(value):
    return unicodedata.normalize("NFC", value)


# --- health facilities --------------------------------------------------------------------

SPECIALIST_HOSPITALS = [
    "Bệnh viện Sản - Nhi",
    "Bệnh viện Y dược cổ truyền",
    "Bệnh viện Phổi",
    "Bệnh viện Mắt",
    "Bệnh viện Tâm thần",
    "Bệnh viện Phục hồi chức năng",
    "Bệnh viện Nội tiết",
    "Bệnh viện Da liễu",
    "Bệnh viện Ung bướu",
]
CENTRAL_HOSPITALS = {
    1: [
        "Bệnh viện Bạch Mai",
        "Bệnh viện Hữu nghị Việt Đức",
        "Bệnh viện Nhi Trung ương",
        "Bệnh viện K",
        "Bệnh viện Phụ sản Trung ương",
        "Bệnh viện Mắt Trung ương",
        "Bệnh viện E",
        "Bệnh viện Nội tiết Trung ương",
    ],
    79: ["Bệnh viện Chợ Rẫy", "Bệnh viện Thống Nhất", "Bệnh viện Đại học Y Dược Thành phố Hồ Chí Minh"],
    46: ["Bệnh viện Trung ương Huế"],
    19: ["Bệnh viện Trung ương Thái Nguyên"],
    48: ["Bệnh viện Đa khoa Trung ương Quảng Nam"],
    92: ["Bệnh viện Đa khoa Trung ương Cần Thơ"],
    52: ["Bệnh viện Phong - Da liễu Trung ương Quy Hòa"],
}

# --- ICD-10 (main diagnosis) --------------------------------------------------------------
# (code, Vietnamese name, weight, cost range in thousands of đồng)

_OUT_COMMON = [
    ("J06.9", "Nhiễm trùng đường hô hấp trên cấp", 14, (80, 450)),
    ("J02.9", "Viêm họng cấp", 8, (70, 350)),
    ("J03.9", "Viêm amidan cấp", 4, (80, 400)),
    ("J20.9", "Viêm phế quản cấp", 6, (100, 600)),
    ("J01.9", "Viêm xoang cấp", 3, (120, 700)),
    ("J30.4", "Viêm mũi dị ứng", 3, (90, 500)),
    ("A09", "Tiêu chảy và viêm dạ dày - ruột do nhiễm trùng", 4, (90, 500)),
    ("K29.7", "Viêm dạ dày", 7, (150, 900)),
    ("K21.9", "Bệnh trào ngược dạ dày - thực quản", 3, (200, 1200)),
    ("H10.9", "Viêm kết mạc", 3, (60, 300)),
    ("H66.9", "Viêm tai giữa", 2, (90, 500)),
    ("K02.9", "Sâu răng", 3, (100, 600)),
    ("L20.9", "Viêm da cơ địa", 2, (100, 500)),
    ("L50.9", "Mày đay", 2, (80, 400)),
    ("N39.0", "Nhiễm khuẩn đường tiết niệu", 3, (120, 700)),
    ("R51", "Đau đầu", 2, (60, 350)),
    ("M54.5", "Đau vùng thắt lưng", 4, (100, 700)),
    ("A90", "Sốt Dengue", 1, (150, 800)),
]
_OUT_CHILD = [
    ("J21.9", "Viêm tiểu phế quản cấp", 6, (150, 800)),
    ("B08.4", "Bệnh tay chân miệng", 3, (100, 500)),
    ("B01.9", "Thủy đậu", 2, (80, 400)),
    ("H52.1", "Cận thị", 3, (80, 300)),
    ("K59.0", "Táo bón", 2, (60, 300)),
]
_OUT_CHRONIC = [
    ("I10", "Tăng huyết áp vô căn", 18, (250, 1200)),
    ("E11", "Bệnh đái tháo đường type 2", 10, (300, 1800)),
    ("E78.5", "Tăng lipid máu", 6, (250, 1100)),
    ("I25.1", "Bệnh tim thiếu máu cục bộ do xơ vữa", 3, (400, 2500)),
    ("M17.9", "Thoái hóa khớp gối", 5, (200, 1500)),
    ("M47.8", "Thoái hóa cột sống", 4, (200, 1200)),
    ("M81.9", "Loãng xương", 2, (250, 1500)),
    ("J44.9", "Bệnh phổi tắc nghẽn mạn tính", 3, (300, 2000)),
    ("H25.9", "Đục thủy tinh thể tuổi già", 2, (150, 900)),
    ("N18.9", "Bệnh thận mạn", 2, (400, 3000)),
    ("B18.1", "Viêm gan virus B mạn", 2, (300, 1800)),
    ("E03.9", "Suy giáp", 1, (200, 900)),
    ("G43.9", "Đau nửa đầu (migraine)", 1, (150, 700)),
    ("F32.9", "Giai đoạn trầm cảm", 1, (200, 1200)),
    ("D50.9", "Thiếu máu thiếu sắt", 1, (120, 600)),
]
_INPATIENT = [
    ("J18.9", "Viêm phổi", 12, (2500, 15000)),
    ("I63.9", "Nhồi máu não", 5, (12000, 60000)),
    ("I50.9", "Suy tim", 3, (8000, 40000)),
    ("I20.9", "Cơn đau thắt ngực", 3, (5000, 35000)),
    ("K35.8", "Viêm ruột thừa cấp", 4, (6000, 18000)),
    ("K80.2", "Sỏi túi mật", 3, (9000, 30000)),
    ("N20.0", "Sỏi thận", 3, (5000, 25000)),
    ("K74.6", "Xơ gan", 2, (8000, 40000)),
    ("A91", "Sốt xuất huyết Dengue", 3, (2000, 9000)),
    ("S52.5", "Gãy đầu dưới xương quay", 2, (5000, 20000)),
    ("S06.0", "Chấn động não", 2, (2000, 8000)),
    ("C34.9", "U ác phế quản hoặc phổi", 1, (25000, 120000)),
    ("C22.0", "Ung thư biểu mô tế bào gan", 1, (25000, 110000)),
    ("E11", "Bệnh đái tháo đường type 2", 3, (4000, 18000)),
    ("J44.9", "Bệnh phổi tắc nghẽn mạn tính", 3, (5000, 25000)),
    ("A09", "Tiêu chảy và viêm dạ dày - ruột do nhiễm trùng", 4, (1500, 6000)),
]
OBSTETRIC = [
    ("Z34.9", "Giám sát thai nghén bình thường", 8, (100, 500), False),
    ("O80", "Đẻ thường một thai", 3, (3000, 9000), True),
    ("O82", "Đẻ một thai bằng mổ lấy thai", 2, (8000, 18000), True),
]

ICD_OUT_CHILD = [(c, _nfc(n), w, r) for c, n, w, r in _OUT_CHILD + _OUT_COMMON]
ICD_OUT_ADULT = [(c, _nfc(n), w, r) for c, n, w, r in _OUT_COMMON] + [
    (c, _nfc(n), w / 3, r) for c, n, w, r in _OUT_CHRONIC
]
ICD_OUT_ELDER = [(c, _nfc(n), w / 3, r) for c, n, w, r in _OUT_COMMON] + [
    (c, _nfc(n), w, r) for c, n, w, r in _OUT_CHRONIC
]
ICD_INPATIENT = [(c, _nfc(n), w, r) for c, n, w, r in _INPATIENT]
ICD_OBSTETRIC = [(c, _nfc(n), w, r, inpatient) for c, n, w, r, inpatient in OBSTETRIC]

# Treatment result (QĐ 130/QĐ-BYT): 1 khỏi, 2 đỡ, 3 không thay đổi, 4 nặng hơn, 5 tử vong,
# 6 tiên lượng nặng xin về, 7 chưa xác định. Deaths are left out so a person never has a
# visit after dying.
RESULTS_OUTPATIENT = [(1, 25), (2, 55), (3, 12), (7, 8)]
RESULTS_INPATIENT = [(1, 45), (2, 45), (3, 4), (4, 2), (6, 1.5), (7, 2.5)]

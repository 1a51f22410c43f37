"""Reference tables of the synthetic registry: beneficiary groups, wages, jobs, ICD-10, hospitals.

Everything here is data; the generator only draws from it. Weights are relative.
"""

import unicodedata


def _nfc(value):
    return unicodedata.normalize("NFC", value)


# --- BHYT beneficiary groups (DOMAIN.md: group → usual benefit level) ---------------------

GROUP_LEVEL = {}
for _level, _groups in {
    1: "CC TE",
    2: "CK CB KC HN DT DK XD BT TS",
    3: "HT TC CN",
    4: "DN HX CH NN TK HC XK TB NO CT XB TN CS XN MS HD TQ TA TY HG LS PV HS SV GB GD",
    5: "QN CA CY",
}.items():
    GROUP_LEVEL.update(dict.fromkeys(_groups.split(), _level))

# Share of the cost the fund pays, by benefit level (the 5 levels of the card).
FUND_PERCENT = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}

# Groups by life situation. "" = no card. Shares follow the shape of national coverage
# (≈ 94 % insured): children under 6 are all covered (TE); pupils and students through
# school (HS/SV); the unemployed-but-not-poor buy household cards (GD); poor and near-poor
# households (HN/CN) and people on social assistance (BT) are paid for by the state.
PUPIL_GROUPS = [("HS", 86), ("GD", 5), ("HN", 3), ("CN", 2), ("BT", 0.5), ("", 3.5)]
STUDENT_GROUPS = [("SV", 62), ("GD", 20), ("HN", 2), ("CN", 2), ("", 14)]
INFORMAL_GROUPS = [
    ("GD", 66),
    ("HN", 4),
    ("CN", 4),
    ("CK", 0.5),
    ("TS", 0.5),
    ("XK", 0.3),
    ("NO", 0.3),
    ("", 9),
]
ELDER_GROUPS = [
    ("GD", 62),
    ("HN", 4),
    ("CN", 4),
    ("CK", 3),
    ("CB", 2),
    ("KC", 3),
    ("TS", 1),
    ("CC", 1),
    ("BT", 4),
    ("", 5),
]
OLDEST_GROUPS = [("BT", 45), ("CT", 10), ("GD", 27), ("KC", 5), ("CK", 3), ("CC", 3), ("", 2)]
# Ethnic-minority people in the northern mountain provinces mostly hold DT cards.
MOUNTAIN_DT_SHARE = 0.4

# --- age pyramid (Vietnam ≈ 2024, 5-year bands; the last band stops at 1940) -------------

AGE_BANDS = [
    ((0, 5), 7.3),
    ((5, 10), 7.9),
    ((10, 15), 7.8),
    ((15, 20), 7.0),
    ((20, 25), 6.9),
    ((25, 30), 7.4),
    ((30, 35), 8.2),
    ((35, 40), 8.0),
    ((40, 45), 7.6),
    ((45, 50), 6.8),
    ((50, 55), 6.2),
    ((55, 60), 5.6),
    ((60, 65), 4.9),
    ((65, 70), 3.8),
    ((70, 75), 2.6),
    ((75, 80), 1.5),
    ((80, 85), 0.9),
    ((85, 87), 0.5),
]

# --- wages --------------------------------------------------------------------------------

# Lương tối thiểu chung / lương cơ sở (đồng per month) from the month it took effect.
BASE_SALARY = [
    ((1995, 1), 120_000),
    ((1997, 1), 144_000),
    ((2000, 1), 180_000),
    ((2001, 1), 210_000),
    ((2003, 1), 290_000),
    ((2005, 10), 350_000),
    ((2006, 10), 450_000),
    ((2008, 1), 540_000),
    ((2009, 5), 650_000),
    ((2010, 5), 730_000),
    ((2011, 5), 830_000),
    ((2012, 5), 1_050_000),
    ((2013, 7), 1_150_000),
    ((2016, 5), 1_210_000),
    ((2017, 7), 1_300_000),
    ((2018, 7), 1_390_000),
    ((2019, 7), 1_490_000),
    ((2023, 7), 1_800_000),
    ((2024, 7), 2_340_000),
]
# Pay coefficients (hệ số lương) of the civil-service scales A1 → A3.1, as hundredths.
COEFFICIENTS = [234, 267, 300, 333, 366, 399, 432, 465, 498, 508, 542, 576, 610, 620]
# Records in the national database start with the 1995 social-insurance system.
RECORDS_START = (1995, 1)
BHTN_START = (2009, 1)  # unemployment insurance
BHTNLD_START = (2016, 6)  # occupational accident & disease fund, recorded separately

# --- employers ----------------------------------------------------------------------------

# kind: (weight, public sector?, card group, positions [(title, weight)])
EMPLOYER_KINDS = {
    "company": (
        55,
        False,
        "DN",
        [
            ("Công nhân", 40),
            ("Nhân viên kinh doanh", 10),
            ("Kế toán viên", 7),
            ("Nhân viên hành chính", 7),
            ("Kỹ sư", 6),
            ("Lái xe", 5),
            ("Thủ kho", 3),
            ("Nhân viên kỹ thuật", 7),
            ("Bảo vệ", 4),
            ("Trưởng phòng", 3),
            ("Phó giám đốc", 1),
            ("Giám đốc", 0.5),
            ("Nhân viên bán hàng", 6),
        ],
    ),
    "fdi": (
        10,
        False,
        "DN",
        [
            ("Công nhân", 60),
            ("Tổ trưởng sản xuất", 6),
            ("Kỹ thuật viên", 8),
            ("Phiên dịch viên", 4),
            ("Nhân viên QC", 8),
            ("Kế toán viên", 4),
            ("Kỹ sư", 6),
        ],
    ),
    "school": (
        12,
        True,
        "HC",
        [
            ("Giáo viên", 75),
            ("Hiệu trưởng", 3),
            ("Phó hiệu trưởng", 5),
            ("Kế toán viên", 4),
            ("Nhân viên văn thư", 4),
            ("Nhân viên y tế học đường", 3),
            ("Bảo vệ", 4),
        ],
    ),
    "commune": (
        6,
        True,
        "HC",
        [
            ("Chuyên viên", 50),
            ("Công chức Địa chính - Xây dựng", 10),
            ("Công chức Văn hóa - Xã hội", 10),
            ("Công chức Tư pháp - Hộ tịch", 10),
            ("Chủ tịch Ủy ban nhân dân", 3),
            ("Phó Chủ tịch Ủy ban nhân dân", 5),
            ("Kế toán viên", 6),
        ],
    ),
    "hospital": (
        4,
        True,
        "HC",
        [
            ("Bác sĩ", 25),
            ("Điều dưỡng", 40),
            ("Dược sĩ", 8),
            ("Kỹ thuật viên xét nghiệm", 8),
            ("Hộ lý", 10),
            ("Kế toán viên", 5),
        ],
    ),
    "agency": (
        6,
        True,
        "HC",
        [
            ("Chuyên viên", 60),
            ("Chuyên viên chính", 15),
            ("Trưởng phòng", 5),
            ("Phó trưởng phòng", 8),
            ("Văn thư", 6),
            ("Lái xe", 4),
        ],
    ),
    "coop": (
        7,
        False,
        "HX",
        [
            ("Thành viên hợp tác xã", 40),
            ("Công nhân", 30),
            ("Kế toán viên", 10),
            ("Giám đốc", 5),
            ("Nhân viên kỹ thuật", 15),
        ],
    ),
}
# Civil servants (công chức) are outside unemployment insurance.
NO_BHTN_KINDS = frozenset({"commune", "agency"})
COMPANY_FIELDS = [
    "Thương mại và Dịch vụ",
    "Xây dựng",
    "Đầu tư và Phát triển",
    "Cơ khí",
    "May mặc",
    "Vận tải",
    "Công nghệ",
    "Thực phẩm",
    "Xuất nhập khẩu",
    "Dược phẩm",
    "Điện tử",
    "Bất động sản",
    "Nội thất",
    "Logistics",
    "Giày da",
    "Nông sản",
    "Du lịch",
    "In ấn",
    "Vật liệu xây dựng",
    "Thủy sản",
]
FDI_FIELDS = ["Điện tử", "May mặc", "Giày da", "Linh kiện", "Nhựa", "Cơ khí chính xác"]
SCHOOL_KINDS = ["Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở"]
SCHOOL_PATRONS = [
    "Chu Văn An",
    "Lê Quý Đôn",
    "Nguyễn Du",
    "Trần Phú",
    "Nguyễn Trãi",
    "Lê Hồng Phong",
    "Phan Bội Châu",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Lương Thế Vinh",
    "Nguyễn Bỉnh Khiêm",
    "Hùng Vương",
    "Quang Trung",
    "Võ Thị Sáu",
    "Nguyễn Thị Minh Khai",
    "Lê Lợi",
]
AGENCIES = [  # {p} = "tỉnh Cao Bằng" / "thành phố Hà Nội"
    "Sở Tài chính {p}",
    "Sở Giáo dục và Đào tạo {p}",
    "Sở Y tế {p}",
    "Sở Xây dựng {p}",
    "Sở Nội vụ {p}",
    "Sở Tư pháp {p}",
    "Sở Công Thương {p}",
    "Sở Nông nghiệp và Môi trường {p}",
    "Sở Văn hóa, Thể thao và Du lịch {p}",
    "Sở Khoa học và Công nghệ {p}",
    "Thuế {p}",
    "Văn phòng Ủy ban nhân dân {p}",
    "Trung tâm Dịch vụ việc làm {p}",
    "Đài Phát thanh và Truyền hình {p}",
]
COOP_FIELDS = ["Nông nghiệp", "Dịch vụ Nông nghiệp", "Thủy sản", "Vận tải", "Chè", "Môi trường"]

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

# --- benefits -----------------------------------------------------------------------------

REGIME_SICK = _nfc("Ốm đau")
REGIME_BIRTH = _nfc("Sinh con")
REGIME_RECOVERY = _nfc("Dưỡng sức phục hồi sức khỏe")
REGIME_PENSION = _nfc("Hưu trí")
REGIME_UNEMPLOYMENT = _nfc("Trợ cấp thất nghiệp")
REGIME_ONE_OFF = _nfc("BHXH một lần")

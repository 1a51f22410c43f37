"""Reference tables of the synthetic registry: kinds of employers, their trades and positions.

Everything here is data; the generator only draws from it. Weights are relative.
"""

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

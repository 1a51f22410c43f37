"""Vietnamese personal names for the synthetic registry (streets and trade names: words.py).

Weights are relative frequencies. Family-name shares follow the commonly cited national
survey figures (Nguyễn ≈ 38 %, Trần 11 %, Lê 9.5 %, …); Hoàng/Vũ are the northern and
Huỳnh/Võ the southern spellings of the same names, so each region gets its own table.
Middle and given names change with the birth cohort: "Văn"/"Thị" dominate older
generations and fade in children born after 2000.
"""

import unicodedata


def _table(pairs):
    """[(text, weight)] with every text in NFC, so a source file saved as NFD cannot leak in."""
    return [(unicodedata.normalize("NFC", text), weight) for text, weight in pairs]


def words(text, weight=1):
    """A whitespace-separated list as equal-weight pairs ('_' joins a multi-word item)."""
    return _table((word.replace("_", " "), weight) for word in text.split())


_COMMON_TAIL = words(
    "Trịnh Trương Đinh Lâm Phùng Mai Tô Hà Tạ Lương Đào Đoàn Vương Cao Lưu Chu Quách Kiều "
    "Thái Triệu La Lại Châu Tăng Mạc Khúc Hứa Diệp Từ Tôn Thân Kim Nghiêm Lục Ông Khổng Âu "
    "Giang Doãn Mẫn Phí Hầu Quan Bạch Lã Viên Ninh Phó",
    0.24,
)

FAMILY_NORTH = (
    _table(
        [
            ("Nguyễn", 38),
            ("Trần", 11),
            ("Lê", 9.5),
            ("Phạm", 7),
            ("Hoàng", 4.5),
            ("Huỳnh", 0.5),
            ("Phan", 4.5),
            ("Vũ", 3.4),
            ("Võ", 0.5),
            ("Đặng", 2.1),
            ("Bùi", 2),
            ("Đỗ", 1.4),
            ("Hồ", 1.3),
            ("Ngô", 1.3),
            ("Dương", 1),
            ("Lý", 0.5),
        ]
    )
    + _COMMON_TAIL
)

FAMILY_SOUTH = (
    _table(
        [
            ("Nguyễn", 38),
            ("Trần", 11),
            ("Lê", 9.5),
            ("Phạm", 7),
            ("Hoàng", 0.8),
            ("Huỳnh", 4.2),
            ("Phan", 4.5),
            ("Vũ", 0.6),
            ("Võ", 3.3),
            ("Đặng", 2.1),
            ("Bùi", 2),
            ("Đỗ", 1.4),
            ("Hồ", 1.3),
            ("Ngô", 1.3),
            ("Dương", 1),
            ("Lý", 0.5),
        ]
    )
    + _COMMON_TAIL
)

# Tày, Nùng, Thái, H'Mông, Dao… family names of the northern mountain provinces.
FAMILY_MINORITY = _table(
    [
        ("Nông", 6),
        ("Hoàng", 6),
        ("Lò", 5),
        ("Lường", 3),
        ("Cầm", 2),
        ("Quàng", 2),
        ("Giàng", 4),
        ("Sùng", 3),
        ("Vàng", 4),
        ("Thào", 3),
        ("Ma", 2),
        ("Lục", 2),
        ("Bế", 2),
        ("Triệu", 3),
        ("Hà", 4),
        ("Lý", 3),
        ("Đinh", 2),
        ("Sầm", 1),
        ("Mùa", 1),
        ("Hầu", 1),
        ("Tòng", 1),
    ]
)

# Middle names by sex and cohort: born before 1975, 1975-1999, 2000 and later.
MIDDLE_MALE = (
    _table(
        [
            ("Văn", 60),
            ("Đức", 8),
            ("Hữu", 7),
            ("Minh", 5),
            ("Quang", 4),
            ("Xuân", 4),
            ("Đình", 4),
            ("Công", 3),
            ("Ngọc", 2),
            ("Thanh", 3),
            ("Quốc", 2),
            ("Thế", 2),
            ("Trọng", 2),
            ("Bá", 1.5),
            ("Khắc", 1),
        ]
    ),
    _table(
        [
            ("Văn", 35),
            ("Đức", 8),
            ("Minh", 8),
            ("Hữu", 5),
            ("Quang", 5),
            ("Thanh", 5),
            ("Quốc", 5),
            ("Xuân", 3),
            ("Đình", 3),
            ("Công", 3),
            ("Ngọc", 3),
            ("Anh", 3),
            ("Tuấn", 2),
            ("Hoàng", 3),
            ("Trung", 2),
            ("Thế", 2),
            ("Duy", 2),
            ("Tiến", 2),
        ]
    ),
    _table(
        [
            ("Văn", 12),
            ("Minh", 12),
            ("Gia", 9),
            ("Đức", 8),
            ("Bảo", 8),
            ("Hoàng", 6),
            ("Quốc", 6),
            ("Anh", 5),
            ("Đăng", 5),
            ("Thành", 4),
            ("Nhật", 4),
            ("Tuấn", 4),
            ("Duy", 4),
            ("Trung", 3),
            ("Khánh", 3),
            ("Hải", 3),
            ("Phúc", 2),
            ("Thiên", 2),
        ]
    ),
)
MIDDLE_FEMALE = (
    _table(
        [
            ("Thị", 75),
            ("Ngọc", 4),
            ("Thu", 4),
            ("Thanh", 4),
            ("Kim", 3),
            ("Hồng", 3),
            ("Bích", 2),
            ("Xuân", 2),
            ("Minh", 1.5),
            ("Mai", 1.5),
        ]
    ),
    _table(
        [
            ("Thị", 50),
            ("Ngọc", 7),
            ("Thu", 6),
            ("Thanh", 6),
            ("Thùy", 4),
            ("Kim", 3),
            ("Hồng", 3),
            ("Phương", 3),
            ("Minh", 3),
            ("Hải", 2),
            ("Hoài", 2),
            ("Mỹ", 2),
            ("Diệu", 1.5),
            ("Khánh", 1.5),
            ("Quỳnh", 1.5),
        ]
    ),
    _table(
        [
            ("Thị", 18),
            ("Ngọc", 10),
            ("Bảo", 8),
            ("Gia", 7),
            ("Khánh", 7),
            ("Minh", 7),
            ("Phương", 6),
            ("Thu", 5),
            ("Thùy", 5),
            ("Hoài", 4),
            ("Mai", 4),
            ("Quỳnh", 4),
            ("Tường", 3),
            ("Diệu", 3),
            ("Yến", 2),
            ("Như", 3),
            ("An", 2),
            ("Tuệ", 2),
        ]
    ),
)
# A second middle name ("Nguyễn Thị Thu Hà", "Trần Ngọc Bảo Anh"): more common in younger cohorts.
EXTRA_MIDDLE_SHARE = (0.04, 0.10, 0.18)
EXTRA_MIDDLE_MALE = words("Minh Gia Bảo Đức Anh Quang Thanh Hoàng Nhật Khánh")
EXTRA_MIDDLE_FEMALE = words("Thu Ngọc Bảo Khánh Minh Phương Thanh Hải Mai Quỳnh Hồng Thảo")

GIVEN_MALE = (
    words(
        "Hùng Dũng Thắng Lợi Chiến Bình Hòa Sơn Hải Thành Tuấn Minh Nam Quang Hưng Long "
        "Cường Trung Tiến Toàn Thanh Vinh Phúc Tâm Thuận Hiệp Khải Hiển Tùng Đông Lâm Định "
        "Kha Quý Thịnh Tài Nghĩa Luận Tín Bảo Cảnh Chính Đức Hậu Kiên Mạnh Phong Sang Tư Vượng"
    ),
    words(
        "Tuấn Hùng Dũng Minh Nam Hải Long Sơn Thắng Cường Hoàng Huy Trung Tiến Việt Bình Đạt "
        "Hiếu Kiên Lâm Lộc Phúc Quang Tài Thành Toàn Trí Vinh Anh Duy Đức Hưng Mạnh Nghĩa "
        "Tâm Thái Tú Hòa Chiến Dương Hậu Lợi Quân Phong Khoa Thịnh Tùng Vũ Linh",
        1,
    ),
    words(
        "Minh Khang Khôi Kiệt Phúc Bảo An Huy Đăng Nam Lâm Anh Khoa Quân Phong Duy Đức Hưng "
        "Long Nhật Phát Thịnh Tùng Vinh Tuấn Hiếu Hoàng Trí Thành Tài Lộc Nguyên Khải Hải "
        "Dương Kiên Sơn Tín Hào Quang Vũ Việt Toàn Thiện",
        1,
    ),
)
GIVEN_FEMALE = (
    words(
        "Lan Hoa Hồng Cúc Đào Liên Nga Hương Thủy Lệ Tuyết Hạnh Loan Mai Xuân Dung Hằng "
        "Hiền Huệ Nhung Oanh Phượng Sen Tâm Thanh Thu Thúy Vân Yến Nguyệt Bích Chi Hà Minh "
        "Ngọc Phương Quyên Tư Vinh Thơm Lành Mận Đông Khuyên Hảo Nhàn Hường"
    ),
    words(
        "Hương Hằng Hạnh Hà Huyền Linh Mai Nga Nhung Phương Thảo Thủy Trang Vân Yến Anh "
        "Chi Dung Giang Hiền Hồng Lan Loan Ly My Ngân Ngọc Nhi Oanh Quỳnh Tâm Thanh Thu Thúy "
        "Trâm Uyên Vy Xuân Châu Diệp Hoa Lệ Liên Nguyệt Phượng Tuyết Trinh Duyên Thương"
    ),
    words(
        "Anh Linh Vy Nhi Ngân Trâm An Chi Hân My Thư Ngọc Khánh Châu Nhiên Hà Trang Thảo "
        "Uyên Quỳnh Hương Phương Mai Yến Diệp Tiên Như Ly Giang Hằng Huyền Trinh Thy Vân "
        "Ánh Tâm Thanh Hoa Duyên Nga Lam Tú"
    ),
)

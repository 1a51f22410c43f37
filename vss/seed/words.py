"""Street, village and trade names for the synthetic registry's addresses and employers."""

from vss.seed.names import words as _words

# Street names that almost every Vietnamese town has (national heroes, historic dates).
STREETS = _words(
    "Trần_Hưng_Đạo Lê_Lợi Nguyễn_Huệ Hùng_Vương Quang_Trung Lý_Thường_Kiệt Hai_Bà_Trưng Lê_Duẩn "
    "Nguyễn_Trãi Điện_Biên_Phủ Phan_Chu_Trinh Phan_Bội_Châu Võ_Thị_Sáu Nguyễn_Du Trần_Phú "
    "Nguyễn_Văn_Cừ Lê_Hồng_Phong Ngô_Quyền Bà_Triệu Nguyễn_Thái_Học Hoàng_Diệu Lý_Thái_Tổ "
    "Trần_Quang_Khải Nguyễn_Chí_Thanh Võ_Nguyên_Giáp Tôn_Đức_Thắng Cách_Mạng_Tháng_Tám "
    "Hoàng_Văn_Thụ Lạc_Long_Quân An_Dương_Vương Chu_Văn_An Nguyễn_Thị_Minh_Khai Trường_Chinh "
    "Phạm_Văn_Đồng Lê_Thánh_Tông Nguyễn_Đình_Chiểu Hoàng_Hoa_Thám Kim_Đồng Lý_Tự_Trọng "
    "Đinh_Tiên_Hoàng Trần_Nhân_Tông Nguyễn_Văn_Linh Lê_Lai Yết_Kiêu Phạm_Ngũ_Lão Tô_Hiến_Thành "
    "Nguyễn_Biểu Mạc_Đĩnh_Chi Hàm_Nghi Duy_Tân Lê_Quý_Đôn Nguyễn_Khuyến Trần_Bình_Trọng "
    "Nguyễn_Tri_Phương Lý_Nam_Đế Phan_Đình_Phùng Nguyễn_Công_Trứ 30_Tháng_4 3_Tháng_2"
)

# Villages: "Thôn …" in the north and centre, "Ấp …" in the south, "Bản …" in the mountains.
VILLAGE_WORDS = _words(
    "Đông Tây Nam Bắc Trung Thượng Hạ Tân An Phú Hòa Bình Long Thạnh Mỹ Hưng Yên Lộc Phước "
    "Thịnh Đồng Hải Sơn Quyết_Tiến Đoàn_Kết Thắng_Lợi Tiền_Phong Cầu Chợ Đình Làng_Mới"
)
MOUNTAIN_VILLAGES = _words(
    "Nà_Lừa Nà_Pò Bó_Lếch Pác_Nặm Hua_Ná Mường_Thanh Khau_Vai Co_Sáng Phiêng_Ban Nậm_Lầu "
    "Lũng_Cú Sin_Suối_Hồ Tả_Van Cát_Cát Nà_Hang Pắc_Ngà"
)

# Trade names (tên riêng) of companies, shops and clinics.
TRADE_NAMES = _words(
    "Minh_Phát Hoàng_Long Thành_Đạt An_Khang Phú_Thịnh Hưng_Thịnh Việt_Tiến Đại_Phát Tân_Phú "
    "Thiên_Long Sao_Việt Kim_Long Trường_Thành Hòa_Bình Bình_Minh Phương_Nam Đông_Á Hải_Âu "
    "Vạn_Xuân Hồng_Hà Tràng_An Thăng_Long Sông_Hàn Phú_Gia Nam_Việt Á_Châu Toàn_Cầu Lộc_Phát "
    "Phúc_An Tín_Nghĩa Tâm_Đức Quang_Minh Thái_Bình Ánh_Dương Hoàng_Gia Đức_Thành Mekong "
    "Sài_Gòn Hà_Thành Đất_Việt Hưng_Phát Thành_Công Tiến_Phát Vĩnh_Phúc Bảo_An Nhật_Minh "
    "Kiến_Quốc Đông_Dương Sông_Hồng Cửu_Long Tây_Nguyên Duyên_Hải Thuận_Phát Gia_Bảo"
)
# Two-syllable trade names ("Tân Phát", "Hưng Thịnh") for the long tail of enterprises.
TRADE_FIRST = _words(
    "An Bảo Bình Đại Đức Gia Hà Hải Hoàng Hòa Hồng Hưng Kim Long Minh Nam Ngọc Phú Phúc Phương "
    "Quang Sao Sơn Tân Thái Thành Thiên Thịnh Toàn Trường Tuấn Việt Vĩnh Xuân Đông Thuận Lâm "
    "Khánh Nhật Trung"
)
TRADE_SECOND = _words(
    "Phát Thịnh Long Hưng Đạt Khang Lộc An Thành Minh Việt Nam Phú Tín Tiến Hải Sơn Gia Bảo "
    "Anh Dương Hà Quang Tâm Phong Lợi Vượng Nguyên Cường Huy"
)
FOREIGN_PARTS = (
    _words("Shin Dae Han Sung Kyo Tai Young Mirae Hwa Sun Tosei Yama Kiwa Hoa Pou Chin"),
    _words("woo yang il jin wa da tech sei kong ho tec lim"),
)

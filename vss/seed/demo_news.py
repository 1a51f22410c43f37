"""Demo news for development: a few published posts (one with a picture) written by the demo
editor, so a new user sees /tin-tuc filled. No demo video: a video file cannot be made without a
video encoder, and VSS ships none; an editor uploads one at /can-bo/tin-tuc."""

import datetime as dt
import io

from PIL import Image, ImageDraw

from vss.core.clock import utcnow
from vss.identity.accounts import StaffUser
from vss.support import news

POSTS = (
    (
        "Cài đặt và sử dụng ứng dụng VssID",
        "Hướng dẫn đăng ký tài khoản giao dịch điện tử và xem thẻ BHYT trên điện thoại.",
        "## Đăng ký tài khoản\n\nNgười tham gia kê khai **Tờ khai Mẫu số 01**, chụp ảnh CCCD và ảnh "
        "chân dung, chọn cơ quan BHXH tiếp nhận rồi nhập mã xác thực gửi qua tin nhắn.\n\n"
        "## Sau khi được duyệt\n\n- Đăng nhập bằng mã số BHXH hoặc số CCCD;\n- đổi mật khẩu lần đầu;\n"
        "- xem thẻ BHYT, quá trình tham gia, thông tin hưởng.\n\n"
        "Cần hỗ trợ, gọi [1900 9068](tel:19009068).",
    ),
    (
        "Dùng thẻ BHYT trên ứng dụng khi đi khám chữa bệnh",
        "Hình ảnh thẻ BHYT hoặc mã QR trên ứng dụng được chấp nhận tại mọi cơ sở khám chữa bệnh BHYT.",
        "Khi đi khám, người bệnh xuất trình **hình ảnh thẻ BHYT** trên ứng dụng hoặc mã QR để cơ sở khám "
        "chữa bệnh quét, thay cho thẻ giấy.\n\nNếu thông tin trên thẻ chưa đúng, hãy gửi yêu cầu điều "
        "chỉnh tại mục *Tài khoản*.",
    ),
    (
        "Quên mật khẩu: lấy lại bằng mã xác thực",
        "Không cần đến cơ quan BHXH: mã xác thực được gửi về số điện thoại hoặc thư điện tử đã đăng ký.",
        "Chọn **Quên mật khẩu**, nhập mã số BHXH và số điện thoại (hoặc thư điện tử) đã đăng ký, rồi "
        "nhập mã xác thực nhận được và đặt mật khẩu mới.\n\n> Không cung cấp mã xác thực cho bất kỳ ai, "
        "kể cả người tự xưng là cán bộ BHXH.",
    ),
    (
        "Mỗi số điện thoại chỉ đăng ký cho một mã số BHXH",
        "",
        "Số điện thoại và thư điện tử dùng để nhận mã xác thực, nên mỗi số chỉ gắn với **một** mã số "
        "BHXH. Xem thêm tại [Cổng thông tin BHXH Việt Nam](https://baohiemxahoi.gov.vn).",
    ),
)


def _banner():
    """A plain picture for the first post (drawn here: the demo carries no image files)."""
    image = Image.new("RGB", (960, 540), (11, 92, 171))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((330, 120, 630, 420), radius=40, outline="white", width=16)
    draw.rectangle((390, 220, 570, 250), fill="white")
    draw.rectangle((390, 290, 520, 320), fill="white")
    out = io.BytesIO()
    image.save(out, "PNG")
    return io.BytesIO(out.getvalue())


def create_demo_news(editor_username):
    """The demo posts, published a day apart (the first of POSTS the newest); lines to print."""
    editor = StaffUser.get_or_none(
        (StaffUser.username == editor_username) & (StaffUser.role == StaffUser.EDITOR)
    )
    if editor is None or news.NewsPost.select().exists():
        return []
    for n, (title, summary, body) in enumerate(POSTS):
        post = news.create(
            editor, title, summary, body, image=_banner() if n == 0 else None, image_alt="Biểu tượng VssID"
        )
        news.publish(editor, post)
        when = utcnow() - dt.timedelta(days=n, hours=2)
        news.NewsPost.update(published_at=when, created_at=when, updated_at=when).where(
            news.NewsPost.id == post.id
        ).execute()
    return [f"  {len(POSTS)} demo news posts at /tin-tuc (editor {editor_username}: /can-bo/tin-tuc)"]

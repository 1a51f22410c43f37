"""The printable Tờ khai Mẫu số 01 (WeasyPrint, A4), laid out like the form in the seeds,
rendered once per dossier and kept with it."""

import base64
import io

import qrcode
import qrcode.image.svg
from flask import render_template

from vss.core.clock import to_vn
from vss.core.db import transaction
from vss.dossiers.dossiers import Dossier
from vss.dossiers.drafts import photo_content
from vss.messages import attachments
from vss.registry.directory import format_address, province_name

FONT = "DejaVu Serif"  # has every Vietnamese mark; named so no installed font changes the look


def qr_svg(text):
    """A small SVG QR code (path image) as a data: URI."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _photo_uri(dossier, kind):
    content = photo_content(dossier, kind)
    if content is None:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(bytes(content)).decode()


# Type sizes tried in turn until the form fits one A4 page (the longest answers the form accepts
# fit at the last: tests/test_mau01.py).
SIZES = ("", "compact", "tight")


def render(dossier):
    """PDF bytes of a dossier's Mẫu 01 on one A4 page (needs an app context for the template)."""
    from weasyprint import HTML

    for size in SIZES:
        document = HTML(string=_html(dossier, size)).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf()


def _html(dossier, size):
    submitted = to_vn(dossier.submitted_at)
    return render_template(
        "pdf/mau01.html",
        size=size,
        dossier=dossier,
        font=FONT,
        submitted=submitted,
        place=province_name(dossier.office.province_code) or "",
        address=format_address(dossier.street, dossier.ward_code),
        qr=qr_svg(dossier.number),
        portrait=_photo_uri(dossier, "chan_dung"),
    )


def pdf_for(dossier):
    """The stored PDF, rendering it on first request."""
    if dossier.pdf:
        return bytes(dossier.pdf)
    data = render(dossier)
    with transaction():
        Dossier.update(pdf=data).where(Dossier.id == dossier.id).execute()
    return data


def filename(dossier):
    """'mau-01-00001.GD-2026-00101.pdf' (the dossier number, without its slashes)."""
    return f"mau-01-{dossier.number.replace('/', '-')}.pdf"


def for_email(dossier):
    """What notify.email attaches: the dossier's Mẫu 01, made when the email is sent."""
    return (KIND, dossier.id)


@attachments.maker(KIND := "mau01")
def attachment(dossier_id):
    """The Mẫu 01 PDF, attached to the email that sends it (made by the worker when it sends)."""
    dossier = Dossier.get_or_none(Dossier.id == dossier_id)
    if dossier is None:
        return None
    return attachments.Attachment(filename(dossier), "application/pdf", pdf_for(dossier))

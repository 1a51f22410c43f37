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


def render(dossier):
    """PDF bytes of a dossier's Mẫu 01 (needs an app context for the template)."""
    from weasyprint import HTML

    submitted = to_vn(dossier.submitted_at)
    html = render_template(
        "pdf/mau01.html",
        dossier=dossier,
        font=FONT,
        submitted=submitted,
        place=province_name(dossier.office.province_code) or "",
        address=format_address(dossier.street, dossier.ward_code),
        qr=qr_svg(dossier.number),
        portrait=_photo_uri(dossier, "chan_dung"),
    )
    return HTML(string=html).write_pdf()


def pdf_for(dossier):
    """The stored PDF, rendering it on first request."""
    if dossier.pdf:
        return bytes(dossier.pdf)
    data = render(dossier)
    with transaction():
        Dossier.update(pdf=data).where(Dossier.id == dossier.id).execute()
    return data

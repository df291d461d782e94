"""QR codes as SVG (the officer's card, a published decision, an inspection task): one place for the library."""

import io

import qrcode
import qrcode.image.svg
from django.http import HttpResponse


def svg(text: str, *, box_size: int = 8, border: int = 2) -> bytes:
    buf = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=border).save(buf)
    return buf.getvalue()


def response(text: str, **size) -> HttpResponse:
    return HttpResponse(svg(text, **size), content_type="image/svg+xml")

"""一事一码: the QR code that takes a resident from the hall screen to their phone."""

from __future__ import annotations

import qrcode
import qrcode.image.svg

from kiosk.catalog.models import Item


def item_address(item: Item, public_base: str) -> str:
    """The item's online address, or its public page under `public_base` when it has none."""
    return item.online_url or f"{public_base.rstrip('/')}/items/{item.code}"


def qr_svg(data: str) -> bytes:
    """An SVG QR code (medium error correction, quiet zone kept) any phone camera reads."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode").encode()

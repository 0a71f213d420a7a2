"""Draw the application icon: app.svg, app-<size>.png and app.ico (run from anywhere);
and installer-welcome.bmp, the side picture of the Windows installer's Welcome and
Finish pages (164 x 314, the BMP that NSIS's Modern UI needs).

The SVG is the source; the PNGs are rendered from it with QPainter (QSvgRenderer),
and the .ico (Windows) packs the PNGs, as Windows Vista and later read them.
Design: the pseudocode assignment arrow over lines of code, the last one in
Python's yellow: pseudocode becoming Python.

    QT_QPA_PLATFORM=offscreen python resources/icons/make_icons.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2f6fde"/>
      <stop offset="1" stop-color="#7b4fd6"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="52" fill="url(#bg)"/>
  <rect x="8" y="8" width="240" height="120" rx="52" fill="#ffffff" opacity="0.06"/>
  <!-- the assignment arrow -->
  <path d="M 52 92 L 100 52 L 100 78 L 204 78 L 204 106 L 100 106 L 100 132 Z"
        fill="#ffffff"/>
  <!-- lines of code -->
  <rect x="52" y="156" width="152" height="18" rx="9" fill="#ffffff" opacity="0.85"/>
  <rect x="76" y="186" width="96" height="18" rx="9" fill="#ffffff" opacity="0.85"/>
  <rect x="52" y="216" width="64" height="14" rx="7" fill="#ffd43b"/>
</svg>
"""


def _ico(pngs: list[tuple[int, bytes]]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


WELCOME_SIZE = (164, 314)


def installer_bitmap(renderer) -> None:
    """The installer's side picture: the icon's gradient, the icon's drawing on it."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

    width, height = WELCOME_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("#2f6fde"))
    gradient.setColorAt(1, QColor("#7b4fd6"))
    painter.fillRect(0, 0, width, height, gradient)
    renderer.render(painter, QRectF(22, 48, 120, 120))
    painter.end()
    image.save(str(HERE / "installer-welcome.bmp"), "BMP")


def main() -> int:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    (HERE / "app.svg").write_text(SVG, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(SVG.encode("utf-8")))
    rendered: dict[int, bytes] = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        rendered[size] = bytes(data.data())
        (HERE / f"app-{size}.png").write_bytes(rendered[size])
    (HERE / "app.ico").write_bytes(_ico([(s, rendered[s]) for s in ICO_SIZES]))
    installer_bitmap(renderer)
    print(f"wrote app.svg, {len(PNG_SIZES)} PNGs, app.ico and installer-welcome.bmp to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

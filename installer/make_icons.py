"""Draw posapp's icon (the same picture as installer/posapp.svg) as PNG, ICO and ICNS with Pillow.

    python installer/make_icons.py OUT_DIR

The spec calls ``write_icons`` with PyInstaller's work folder, so no binary icon is kept in the
repository; Pillow is already there (a posapp dependency).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

TEAL, WHITE, DARK = "#0f766e", "#ffffff", "#134e4a"
BARS = ((128, 8), (142, 4), (152, 12), (170, 4), (180, 8), (194, 4))  # x, width (of 256)


def draw(size: int = 1024) -> Image.Image:
    scale = size / 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def at(*values: float) -> list[float]:
        return [value * scale for value in values]

    pen.rounded_rectangle(at(8, 8, 248, 248), radius=48 * scale, fill=TEAL)
    tag = [(60, 88), (104, 48), (212, 48), (212, 208), (104, 208), (60, 168)]
    pen.polygon([(x * scale, y * scale) for x, y in tag], fill=WHITE)
    pen.ellipse(at(82, 114, 110, 142), fill=TEAL)
    for x, width in BARS:
        pen.rectangle(at(x, 76, x + width - 1, 179), fill=DARK)
    return image


def write_icons(folder: Path) -> dict[str, Path]:
    """posapp.png (256 px), posapp.ico (Windows) and posapp.icns (macOS) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    picture = draw()
    paths = {kind: folder / f"posapp.{kind}" for kind in ("png", "ico", "icns")}
    picture.resize((256, 256), Image.Resampling.LANCZOS).save(paths["png"])
    picture.save(paths["ico"], sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)])
    picture.save(paths["icns"])
    return paths


if __name__ == "__main__":
    for path in write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).values():
        print(path)

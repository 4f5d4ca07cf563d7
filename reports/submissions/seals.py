"""Drawing a round seal image for an organisation (the demo's seals; a fallback for tests)."""

import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
]
RED = (200, 16, 46, 235)


def _font(size):
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return None


def draw_seal(name, size=300):
    """A PNG of a red round seal with a star and ``name`` around the rim."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = size / 2, size / 2 - 6
    draw.ellipse([6, 6, size - 6, size - 6], outline=RED, width=max(size // 30, 4))
    star = [
        (
            centre + (radius * 0.28 if i % 2 == 0 else radius * 0.11) * math.sin(math.pi * i / 5),
            centre - (radius * 0.28 if i % 2 == 0 else radius * 0.11) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=RED)
    font = _font(size // 9)
    if font is not None and name:
        letters = list(name)[:16]
        span = math.radians(250)
        start = -span / 2
        for index, letter in enumerate(letters):
            angle = start + span * (index + 0.5) / len(letters)
            glyph = Image.new("RGBA", (size // 6, size // 6), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((size // 48, 0), letter, font=font, fill=RED)
            glyph = glyph.rotate(-math.degrees(angle), resample=Image.BICUBIC)
            x = centre + (radius * 0.72) * math.sin(angle) - glyph.width / 2
            y = centre - (radius * 0.72) * math.cos(angle) - glyph.height / 2
            image.alpha_composite(glyph, (int(x), int(y)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()

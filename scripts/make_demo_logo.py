#!/usr/bin/env python3
"""Draw the demo administration's logo: a plain heraldic shield (azure field, a
silver wavy band for the river, a golden sun over it) and the administration's
name beside it. Drawn here with Pillow and the DejaVu font, no third-party
image. Writes social_incidents/static/img/demo_company_logo.png.

    python3 scripts/make_demo_logo.py
"""

import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "social_incidents/static/img/demo_company_logo.png"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCALE = 4  # drawn large, then reduced: smooth edges
AZURE, SILVER, GOLD, DARK = (31, 78, 140), (236, 240, 244), (224, 172, 40), (30, 42, 58)


def shield_outline(left, top, width, height):
    """A Spanish shield: straight top and sides, rounded base."""
    radius = width / 2
    points = [(left, top), (left + width, top), (left + width, top + height - radius)]
    for step in range(0, 181, 5):
        angle = math.radians(step)
        points.append(
            (
                left + radius + radius * math.cos(angle),
                top + height - radius + radius * math.sin(angle),
            )
        )
    return points + [(left, top + height - radius)]


def main():
    width, height = 640 * SCALE, 200 * SCALE
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    s_left, s_top, s_width, s_height = 12 * SCALE, 14 * SCALE, 140 * SCALE, 172 * SCALE
    draw.polygon(shield_outline(s_left, s_top, s_width, s_height), fill=GOLD)
    border = 6 * SCALE
    inner = shield_outline(
        s_left + border, s_top + border, s_width - 2 * border, s_height - 2 * border
    )
    draw.polygon(inner, fill=AZURE)
    # the golden sun
    cx, cy, r = s_left + s_width // 2, s_top + 58 * SCALE, 26 * SCALE
    for ray in range(12):
        angle = math.radians(ray * 30)
        inner_r, outer_r = r + 4 * SCALE, r + 14 * SCALE
        spread = math.radians(8)
        draw.polygon(
            [
                (cx + inner_r * math.cos(angle - spread), cy + inner_r * math.sin(angle - spread)),
                (cx + outer_r * math.cos(angle), cy + outer_r * math.sin(angle)),
                (cx + inner_r * math.cos(angle + spread), cy + inner_r * math.sin(angle + spread)),
            ],
            fill=GOLD,
        )
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=GOLD)
    # the silver wavy band (the river), kept inside the field
    field = Image.new("L", (width, height), 0)
    ImageDraw.Draw(field).polygon(inner, fill=255)
    river = Image.new("L", (width, height), 0)
    river_draw = ImageDraw.Draw(river)
    band_top = s_top + 112 * SCALE
    for offset in (0, 22 * SCALE):
        points = []
        for x in range(s_left, s_left + s_width + 1, SCALE):
            phase = (x - s_left) / (s_width / 3) * 2 * math.pi
            points.append((x, band_top + offset + 6 * SCALE * math.sin(phase)))
        lower = [(x, y + 11 * SCALE) for x, y in reversed(points)]
        river_draw.polygon(points + lower, fill=255)
    image.paste(
        Image.new("RGBA", (width, height), SILVER + (255,)),
        (0, 0),
        ImageChops.multiply(field, river),
    )
    # the name
    title = ImageFont.truetype(FONT, 30 * SCALE)
    subtitle = ImageFont.truetype(FONT_REGULAR, 24 * SCALE)
    text_left = s_left + s_width + 24 * SCALE
    draw.text((text_left, 44 * SCALE), "АДМИНИСТРАЦИЯ", font=title, fill=DARK)
    draw.text((text_left, 88 * SCALE), "муниципального образования", font=subtitle, fill=DARK)
    draw.text((text_left, 122 * SCALE), "«Ахтубинский район»", font=subtitle, fill=DARK)
    image = image.resize((width // SCALE, height // SCALE), Image.LANCZOS)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, optimize=True)
    print(OUT)


if __name__ == "__main__":
    main()

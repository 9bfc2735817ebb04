"""Stylised objects that say a note's topic at a glance, drawn with Pillow for the demo photos.

Two motifs per topic (a cream jar or a tube, a lipstick or a palette, a dress or a tote, a
coffee or a bowl of noodles, mountains or a sunset, a dumbbell or a kettlebell, a plant or a
candle, a phone or headphones, a cat or a paw, books or a notebook), flat shapes with a soft
shadow on the topic's gradient. `variant` picks one, shifts and tints it, so a topic's pooled
photos differ from each other.
"""

from collections.abc import Callable

from PIL import ImageDraw

Colour = tuple[int, int, int]
WHITE = (255, 255, 255)


def draw_motif(draw: ImageDraw.ImageDraw, slug: str, width: int, height: int, variant: float) -> None:
    """Draw topic `slug`'s object centred on a `width` x `height` canvas; `variant` in [0, 1)."""
    unit = min(width, height) / 10
    cx = width / 2 + (variant - 0.5) * unit * 1.2
    cy = height / 2 + (0.5 - variant) * unit * 0.6
    shadow = (0, 0, 0, 38)
    draw.ellipse((cx - unit * 3, cy + unit * 2.7, cx + unit * 3, cy + unit * 3.3), fill=shadow)
    motifs = MOTIFS[slug]
    motifs[int(variant * len(motifs))](draw, cx, cy, unit, variant)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _jar(draw, cx, cy, u, v):  # skincare: a cream jar and a dropper bottle
    body, lid = _mix((255, 255, 255), (248, 187, 208), 0.3 + v * 0.4), (236, 170, 190)
    draw.rounded_rectangle((cx - u * 2.6, cy - u * 0.4, cx + u * 0.4, cy + u * 2.8), radius=u * 0.5, fill=body)
    draw.rounded_rectangle((cx - u * 2.8, cy - u * 1.4, cx + u * 0.6, cy - u * 0.2), radius=u * 0.3, fill=lid)
    draw.rounded_rectangle((cx - u * 1.9, cy + u * 0.6, cx - u * 0.3, cy + u * 1.6), radius=u * 0.2, fill=WHITE)
    glass = (196, 150, 110)
    draw.rounded_rectangle((cx + u * 0.9, cy - u * 0.8, cx + u * 2.5, cy + u * 2.8), radius=u * 0.35, fill=glass)
    draw.rectangle((cx + u * 1.25, cy - u * 1.6, cx + u * 2.15, cy - u * 0.8), fill=(60, 60, 60))
    draw.ellipse((cx + u * 1.2, cy - u * 2.6, cx + u * 2.2, cy - u * 1.4), fill=(40, 40, 40))
    draw.rectangle((cx + u * 1.1, cy + u * 0.4, cx + u * 2.3, cy + u * 1.6), fill=(250, 240, 230))


def _lipstick(draw, cx, cy, u, v):  # makeup: a lipstick and a compact
    red = _mix((214, 40, 70), (160, 20, 60), v)
    gold = (212, 175, 95)
    draw.rounded_rectangle((cx - u * 1.0, cy + u * 0.2, cx + u * 1.0, cy + u * 3.0), radius=u * 0.25, fill=(40, 36, 40))
    draw.rectangle((cx - u * 0.85, cy - u * 0.8, cx + u * 0.85, cy + u * 0.3), fill=gold)
    draw.polygon(
        [
            (cx - u * 0.7, cy - u * 0.8),
            (cx + u * 0.7, cy - u * 0.8),
            (cx + u * 0.7, cy - u * 2.4),
            (cx - u * 0.7, cy - u * 3.0),
        ],
        fill=red,
    )
    draw.ellipse((cx - u * 4.2, cy + u * 1.0, cx - u * 1.6, cy + u * 3.0), fill=gold)
    draw.ellipse((cx - u * 3.9, cy + u * 1.3, cx - u * 1.9, cy + u * 2.7), fill=(244, 190, 170))


def _dress(draw, cx, cy, u, v):  # fashion: a dress on a hanger
    cloth = _mix((120, 144, 156), (233, 30, 99), v)
    draw.line(
        (cx - u * 1.6, cy - u * 2.0, cx, cy - u * 3.0, cx + u * 1.6, cy - u * 2.0),
        fill=(90, 90, 90),
        width=int(u * 0.15),
    )
    draw.arc((cx - u * 0.4, cy - u * 3.8, cx + u * 0.4, cy - u * 3.0), 180, 360, fill=(90, 90, 90), width=int(u * 0.15))
    draw.polygon(
        [
            (cx - u * 0.9, cy - u * 2.2),
            (cx + u * 0.9, cy - u * 2.2),
            (cx + u * 1.1, cy - u * 0.2),
            (cx + u * 2.6, cy + u * 3.0),
            (cx - u * 2.6, cy + u * 3.0),
            (cx - u * 1.1, cy - u * 0.2),
        ],
        fill=cloth,
    )
    draw.rectangle((cx - u * 1.15, cy - u * 0.5, cx + u * 1.15, cy - u * 0.1), fill=_mix(cloth, (0, 0, 0), 0.3))


def _coffee(draw, cx, cy, u, v):  # food: a cup of coffee on a saucer, steaming
    cup = _mix((255, 255, 255), (255, 224, 178), v * 0.5)
    draw.ellipse((cx - u * 3.2, cy + u * 1.9, cx + u * 3.2, cy + u * 3.1), fill=(240, 240, 240))
    draw.ellipse((cx + u * 1.2, cy - u * 0.6, cx + u * 3.0, cy + u * 1.2), outline=cup, width=int(u * 0.4))
    draw.chord((cx - u * 2.2, cy - u * 2.2, cx + u * 2.2, cy + u * 2.9), 0, 180, fill=cup)
    draw.rectangle((cx - u * 2.2, cy - u * 0.9, cx + u * 2.2, cy + u * 0.35), fill=cup)
    draw.ellipse((cx - u * 2.2, cy - u * 1.5, cx + u * 2.2, cy - u * 0.3), fill=(111, 78, 55))
    for dx in (-0.9, 0.0, 0.9):
        x = cx + dx * u
        draw.arc((x - u * 0.5, cy - u * 3.4, x + u * 0.5, cy - u * 2.4), 90, 270, fill=WHITE, width=int(u * 0.15))
        draw.arc((x - u * 0.5, cy - u * 2.5, x + u * 0.5, cy - u * 1.6), 270, 90, fill=WHITE, width=int(u * 0.15))


def _mountains(draw, cx, cy, u, v):  # travel: mountains under the sun
    draw.ellipse((cx + u * 1.0, cy - u * 3.6, cx + u * 2.8, cy - u * 1.8), fill=(255, 183, 77))
    far, near = _mix((77, 182, 172), (69, 90, 100), v), (38, 120, 110)
    draw.polygon([(cx - u * 3.9, cy + u * 3.0), (cx - u * 1.2, cy - u * 2.4), (cx + u * 1.8, cy + u * 3.0)], fill=far)
    draw.polygon(
        [
            (cx - u * 1.2, cy - u * 2.4),
            (cx - u * 1.9, cy - u * 1.1),
            (cx - u * 1.2, cy - u * 1.4),
            (cx - u * 0.5, cy - u * 1.1),
        ],
        fill=WHITE,
    )
    draw.polygon([(cx - u * 0.9, cy + u * 3.0), (cx + u * 2.0, cy - u * 1.2), (cx + u * 3.9, cy + u * 3.0)], fill=near)
    draw.polygon(
        [
            (cx + u * 2.0, cy - u * 1.2),
            (cx + u * 1.45, cy - u * 0.2),
            (cx + u * 2.0, cy - u * 0.45),
            (cx + u * 2.55, cy - u * 0.2),
        ],
        fill=WHITE,
    )


def _dumbbell(draw, cx, cy, u, v):  # fitness: a dumbbell and a rolled yoga mat
    mat = _mix((102, 187, 106), (171, 71, 188), v)
    draw.rounded_rectangle((cx - u * 3.6, cy - u * 2.8, cx + u * 3.6, cy - u * 1.2), radius=u * 0.8, fill=mat)
    draw.ellipse((cx + u * 2.4, cy - u * 2.8, cx + u * 4.0, cy - u * 1.2), fill=_mix(mat, WHITE, 0.35))
    iron = (55, 71, 79)
    draw.rectangle((cx - u * 2.2, cy + u * 0.9, cx + u * 2.2, cy + u * 1.5), fill=(144, 164, 174))
    for side in (-1, 1):
        _plate(draw, cx + side * u * 2.0, cy + u * 1.2, u * 0.4, u * 1.4, iron)
        _plate(draw, cx + side * u * 2.7, cy + u * 1.2, u * 0.3, u * 0.9, iron)


def _plate(draw, x, y, half_width, half_height, fill):
    draw.rounded_rectangle(
        (x - half_width, y - half_height, x + half_width, y + half_height), radius=half_width * 0.6, fill=fill
    )


def _plant(draw, cx, cy, u, v):  # home: a potted plant
    leaf = _mix((56, 142, 60), (104, 159, 56), v)
    for angle_x, angle_y in ((-2.2, -1.2), (2.2, -1.4), (-1.2, -2.6), (1.2, -2.8), (0.0, -3.4)):
        x, y = cx + angle_x * u, cy + angle_y * u
        draw.ellipse((x - u * 0.8, y - u * 1.3, x + u * 0.8, y + u * 1.3), fill=leaf)
        draw.line((cx, cy + u * 0.4, x, y), fill=_mix(leaf, (0, 0, 0), 0.3), width=int(u * 0.12))
    pot = _mix((215, 120, 80), (240, 240, 235), v)
    draw.polygon(
        [
            (cx - u * 2.0, cy + u * 0.2),
            (cx + u * 2.0, cy + u * 0.2),
            (cx + u * 1.5, cy + u * 3.0),
            (cx - u * 1.5, cy + u * 3.0),
        ],
        fill=pot,
    )
    draw.rectangle((cx - u * 2.2, cy - u * 0.1, cx + u * 2.2, cy + u * 0.6), fill=_mix(pot, (0, 0, 0), 0.15))


def _phone(draw, cx, cy, u, v):  # tech: a phone and earbuds
    case = _mix((38, 50, 56), (84, 110, 122), v)
    draw.rounded_rectangle((cx - u * 1.7, cy - u * 3.2, cx + u * 1.7, cy + u * 3.0), radius=u * 0.5, fill=case)
    screen = _mix((144, 202, 249), (179, 157, 219), v)
    draw.rounded_rectangle((cx - u * 1.45, cy - u * 2.8, cx + u * 1.45, cy + u * 2.6), radius=u * 0.3, fill=screen)
    for row in range(3):
        for col in range(3):
            x, y = cx - u * 0.95 + col * u * 0.95, cy - u * 2.0 + row * u * 0.95
            draw.rounded_rectangle((x - u * 0.3, y - u * 0.3, x + u * 0.3, y + u * 0.3), radius=u * 0.12, fill=WHITE)
    for dx in (2.6, 3.6):
        draw.ellipse((cx + dx * u - u * 0.45, cy + u * 1.4, cx + dx * u + u * 0.45, cy + u * 2.3), fill=WHITE)
        draw.rounded_rectangle(
            (cx + dx * u - u * 0.15, cy + u * 2.0, cx + dx * u + u * 0.15, cy + u * 3.0), radius=u * 0.1, fill=WHITE
        )


def _cat(draw, cx, cy, u, v):  # pets: a cat's face
    fur = _mix((255, 183, 77), (158, 158, 158), v)
    for side in (-1, 1):
        draw.polygon(
            [
                (cx + side * u * 2.6, cy - u * 0.6),
                (cx + side * u * 2.2, cy - u * 3.2),
                (cx + side * u * 0.6, cy - u * 1.8),
            ],
            fill=fur,
        )
        draw.polygon(
            [
                (cx + side * u * 2.2, cy - u * 0.9),
                (cx + side * u * 2.0, cy - u * 2.5),
                (cx + side * u * 1.1, cy - u * 1.7),
            ],
            fill=(255, 205, 210),
        )
    draw.ellipse((cx - u * 2.9, cy - u * 2.2, cx + u * 2.9, cy + u * 2.8), fill=fur)
    for side in (-1, 1):
        ex = cx + side * u * 1.1
        draw.ellipse((ex - u * 0.4, cy - u * 0.6, ex + u * 0.4, cy + u * 0.3), fill=(46, 46, 46))
        draw.ellipse((ex - u * 0.15, cy - u * 0.45, ex + u * 0.05, cy - u * 0.2), fill=WHITE)
        for dy in (0.9, 1.3):
            draw.line(
                (cx + side * u * 0.9, cy + u * 1.0, cx + side * u * 3.3, cy + u * dy),
                fill=(90, 90, 90),
                width=int(u * 0.08),
            )
    draw.polygon(
        [(cx - u * 0.35, cy + u * 0.7), (cx + u * 0.35, cy + u * 0.7), (cx, cy + u * 1.1)], fill=(240, 98, 146)
    )


def _books(draw, cx, cy, u, v):  # books: a stack of books and an open one
    covers = [(_mix((197, 202, 233), (92, 107, 192), v)), (239, 154, 154), (128, 203, 196)]
    for i, cover in enumerate(covers):
        top = cy + u * (1.9 - i * 0.9)
        draw.rounded_rectangle(
            (cx - u * 3.0 + i * u * 0.2, top, cx + u * 1.0 + i * u * 0.2, top + u * 0.8), radius=u * 0.12, fill=cover
        )
        draw.rectangle(
            (cx + u * 0.5 + i * u * 0.2, top + u * 0.1, cx + u * 0.9 + i * u * 0.2, top + u * 0.7), fill=WHITE
        )
    page = (255, 253, 245)
    draw.polygon(
        [(cx - u * 2.2, cy - u * 1.2), (cx, cy - u * 0.8), (cx, cy - u * 3.0), (cx - u * 2.2, cy - u * 3.3)], fill=page
    )
    draw.polygon(
        [(cx + u * 2.2, cy - u * 1.2), (cx, cy - u * 0.8), (cx, cy - u * 3.0), (cx + u * 2.2, cy - u * 3.3)], fill=page
    )
    for k in range(4):
        y = cy - u * (2.8 - k * 0.4)
        draw.line((cx - u * 1.9, y, cx - u * 0.3, y + u * 0.1), fill=(180, 180, 180), width=int(u * 0.06))
        draw.line((cx + u * 0.3, y + u * 0.1, cx + u * 1.9, y), fill=(180, 180, 180), width=int(u * 0.06))


def _tube(draw, cx, cy, u, v):  # skincare: a tube of sunscreen
    body = _mix((255, 243, 224), (225, 245, 254), v)
    draw.polygon(
        [
            (cx - u * 1.6, cy - u * 3.0),
            (cx + u * 1.6, cy - u * 3.0),
            (cx + u * 1.1, cy + u * 1.6),
            (cx - u * 1.1, cy + u * 1.6),
        ],
        fill=body,
    )
    draw.rectangle((cx - u * 1.6, cy - u * 3.2, cx + u * 1.6, cy - u * 2.8), fill=_mix(body, (0, 0, 0), 0.15))
    draw.rounded_rectangle(
        (cx - u * 1.0, cy + u * 1.5, cx + u * 1.0, cy + u * 2.9), radius=u * 0.3, fill=(255, 167, 38)
    )
    draw.rounded_rectangle(
        (cx - u * 0.9, cy - u * 1.6, cx + u * 0.9, cy - u * 0.2), radius=u * 0.2, fill=(255, 167, 38)
    )
    draw.ellipse((cx - u * 0.4, cy - u * 1.2, cx + u * 0.4, cy - u * 0.6), fill=WHITE)


def _palette(draw, cx, cy, u, v):  # makeup: an eyeshadow palette
    draw.rounded_rectangle((cx - u * 3.2, cy - u * 1.8, cx + u * 3.2, cy + u * 2.6), radius=u * 0.5, fill=(40, 36, 40))
    shades = [(244, 143, 177), (239, 83, 80), (255, 204, 128), (188, 140, 120), (141, 110, 99), (206, 147, 216)]
    for index, shade in enumerate(shades):
        x = cx - u * 2.0 + (index % 3) * u * 2.0
        y = cy - u * 0.6 + (index // 3) * u * 2.0
        draw.ellipse((x - u * 0.8, y - u * 0.8, x + u * 0.8, y + u * 0.8), fill=_mix(shade, WHITE, v * 0.3))


def _tote(draw, cx, cy, u, v):  # fashion: a tote bag
    canvas = _mix((215, 204, 200), (255, 236, 179), v)
    draw.arc((cx - u * 1.5, cy - u * 3.4, cx + u * 1.5, cy - u * 0.2), 180, 360, fill=(121, 85, 72), width=int(u * 0.3))
    draw.polygon(
        [
            (cx - u * 2.8, cy - u * 1.6),
            (cx + u * 2.8, cy - u * 1.6),
            (cx + u * 2.3, cy + u * 2.9),
            (cx - u * 2.3, cy + u * 2.9),
        ],
        fill=canvas,
    )
    draw.rectangle((cx - u * 2.8, cy - u * 1.6, cx + u * 2.8, cy - u * 1.0), fill=_mix(canvas, (0, 0, 0), 0.2))
    draw.ellipse((cx - u * 0.7, cy + u * 0.2, cx + u * 0.7, cy + u * 1.6), fill=(233, 30, 99))


def _noodles(draw, cx, cy, u, v):  # food: a bowl of noodles and chopsticks
    draw.line((cx - u * 0.6, cy - u * 3.4, cx + u * 1.4, cy + u * 0.2), fill=(141, 110, 99), width=int(u * 0.25))
    draw.line((cx + u * 0.4, cy - u * 3.6, cx + u * 1.9, cy + u * 0.1), fill=(141, 110, 99), width=int(u * 0.25))
    draw.ellipse((cx - u * 3.0, cy - u * 0.6, cx + u * 3.0, cy + u * 0.6), fill=(255, 224, 130))
    for k in range(4):
        x = cx - u * 2.0 + k * u * 1.2
        draw.arc(
            (x - u * 0.6, cy - u * 0.5, x + u * 0.6, cy + u * 0.4), 180, 360, fill=(255, 241, 200), width=int(u * 0.12)
        )
    draw.ellipse((cx - u * 1.2, cy - u * 0.5, cx - u * 0.2, cy + u * 0.2), fill=WHITE)
    draw.ellipse((cx - u * 0.95, cy - u * 0.35, cx - u * 0.45, cy + u * 0.05), fill=(255, 193, 7))
    bowl = _mix((239, 83, 80), (84, 110, 122), v)
    draw.chord((cx - u * 3.0, cy - u * 2.6, cx + u * 3.0, cy + u * 2.9), 0, 180, fill=bowl)
    draw.rectangle((cx - u * 1.0, cy + u * 2.6, cx + u * 1.0, cy + u * 3.0), fill=_mix(bowl, (0, 0, 0), 0.2))


def _sunset(draw, cx, cy, u, v):  # travel: the sun setting over the sea, a sail on it
    sun = _mix((255, 138, 101), (255, 202, 40), v)
    draw.pieslice((cx - u * 2.2, cy - u * 2.2, cx + u * 2.2, cy + u * 2.2), 180, 360, fill=sun)
    for k in range(5):
        y = cy + u * (0.1 + k * 0.6)
        draw.rounded_rectangle(
            (cx - u * (3.8 - k * 0.4), y, cx + u * (3.8 - k * 0.4), y + u * 0.3),
            radius=u * 0.15,
            fill=_mix((41, 121, 255), (0, 96, 100), k / 5),
        )
    draw.polygon([(cx + u * 1.9, cy - u * 1.6), (cx + u * 1.9, cy - u * 0.2), (cx + u * 0.9, cy - u * 0.2)], fill=WHITE)
    draw.polygon(
        [
            (cx + u * 0.8, cy - u * 0.1),
            (cx + u * 2.6, cy - u * 0.1),
            (cx + u * 2.2, cy + u * 0.3),
            (cx + u * 1.1, cy + u * 0.3),
        ],
        fill=(93, 64, 55),
    )


def _kettlebell(draw, cx, cy, u, v):  # fitness: a kettlebell and a water bottle
    iron = _mix((55, 71, 79), (102, 187, 106), v * 0.6)
    draw.arc((cx - u * 2.4, cy - u * 2.6, cx + u * 0.4, cy + u * 0.2), 180, 360, fill=iron, width=int(u * 0.5))
    draw.rectangle((cx - u * 2.4, cy - u * 1.2, cx - u * 1.9, cy - u * 0.2), fill=iron)
    draw.rectangle((cx - u * 0.1, cy - u * 1.2, cx + u * 0.4, cy - u * 0.2), fill=iron)
    draw.ellipse((cx - u * 3.0, cy - u * 0.6, cx + u * 1.0, cy + u * 3.0), fill=iron)
    draw.rounded_rectangle(
        (cx + u * 1.6, cy - u * 1.6, cx + u * 3.0, cy + u * 2.9), radius=u * 0.5, fill=(129, 212, 250)
    )
    draw.rounded_rectangle(
        (cx + u * 1.85, cy - u * 2.3, cx + u * 2.75, cy - u * 1.5), radius=u * 0.2, fill=(38, 50, 56)
    )


def _candle(draw, cx, cy, u, v):  # home: a candle in a jar, lit
    glass = _mix((220, 237, 200), (239, 235, 233), v)
    draw.rounded_rectangle((cx - u * 2.0, cy - u * 1.0, cx + u * 2.0, cy + u * 2.9), radius=u * 0.5, fill=glass)
    draw.rectangle((cx - u * 2.0, cy - u * 0.2, cx + u * 2.0, cy + u * 2.4), fill=(255, 248, 225))
    draw.rounded_rectangle(
        (cx - u * 1.4, cy + u * 0.6, cx + u * 1.4, cy + u * 1.8), radius=u * 0.2, fill=(161, 136, 127)
    )
    draw.line((cx, cy - u * 0.2, cx, cy - u * 0.9), fill=(60, 60, 60), width=int(u * 0.1))
    draw.ellipse((cx - u * 0.45, cy - u * 2.3, cx + u * 0.45, cy - u * 0.8), fill=(255, 167, 38))
    draw.ellipse((cx - u * 0.2, cy - u * 1.6, cx + u * 0.2, cy - u * 0.9), fill=(255, 241, 118))


def _headphones(draw, cx, cy, u, v):  # tech: headphones
    band = _mix((84, 110, 122), (179, 157, 219), v)
    draw.arc((cx - u * 2.8, cy - u * 3.2, cx + u * 2.8, cy + u * 2.2), 180, 360, fill=band, width=int(u * 0.5))
    for side in (-1, 1):
        x = cx + side * u * 2.55
        draw.rounded_rectangle((x - u * 0.9, cy - u * 0.6, x + u * 0.9, cy + u * 2.4), radius=u * 0.6, fill=band)
        draw.rounded_rectangle(
            (x - u * 0.5, cy - u * 0.2, x + u * 0.5, cy + u * 2.0), radius=u * 0.4, fill=_mix(band, (0, 0, 0), 0.35)
        )


def _paw(draw, cx, cy, u, v):  # pets: a paw print
    pad = _mix((141, 110, 99), (255, 138, 101), v)
    draw.ellipse((cx - u * 1.9, cy - u * 0.2, cx + u * 1.9, cy + u * 2.8), fill=pad)
    for x, y in ((-2.4, -1.0), (-0.9, -2.4), (0.9, -2.4), (2.4, -1.0)):
        draw.ellipse((cx + (x - 0.8) * u, cy + (y - 1.0) * u, cx + (x + 0.8) * u, cy + (y + 1.0) * u), fill=pad)


def _notebook(draw, cx, cy, u, v):  # books: a spiral notebook and a pen
    cover = _mix((197, 202, 233), (200, 230, 201), v)
    draw.rounded_rectangle((cx - u * 2.4, cy - u * 3.0, cx + u * 2.0, cy + u * 2.9), radius=u * 0.3, fill=cover)
    draw.rectangle((cx - u * 1.6, cy - u * 2.6, cx + u * 1.6, cy + u * 2.5), fill=(255, 253, 245))
    for k in range(6):
        y = cy - u * 2.2 + k * u * 0.85
        draw.ellipse(
            (cx - u * 2.7, y - u * 0.15, cx - u * 2.1, y + u * 0.15), outline=(120, 120, 120), width=int(u * 0.08)
        )
        draw.line((cx - u * 1.2, y + u * 0.3, cx + u * 1.2, y + u * 0.3), fill=(200, 200, 210), width=int(u * 0.06))
    draw.line((cx + u * 2.9, cy - u * 2.6, cx + u * 2.9, cy + u * 1.8), fill=(38, 50, 56), width=int(u * 0.45))
    draw.polygon(
        [(cx + u * 2.68, cy + u * 1.8), (cx + u * 3.12, cy + u * 1.8), (cx + u * 2.9, cy + u * 2.5)],
        fill=(212, 175, 95),
    )


MOTIFS: dict[str, tuple[Callable, ...]] = {
    "skincare": (_jar, _tube),
    "makeup": (_lipstick, _palette),
    "fashion": (_dress, _tote),
    "food": (_coffee, _noodles),
    "travel": (_mountains, _sunset),
    "fitness": (_dumbbell, _kettlebell),
    "home": (_plant, _candle),
    "tech": (_phone, _headphones),
    "pets": (_cat, _paw),
    "books": (_books, _notebook),
}

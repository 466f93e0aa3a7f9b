"""Portrait-like pictures drawn with Pillow, so the demo never shows a real face."""

import random
from io import BytesIO

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 800, 1000
SKIN_TONES = ["#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac", "#5c3a21", "#a0673c"]
HAIR_COLOURS = {
    "black": "#090806",
    "dark brown": "#2c222b",
    "light brown": "#71635a",
    "grey": "#b7a69e",
    "auburn": "#a56b46",
    "blonde": "#e6cea8",
    "red": "#8d4a43",
}
BACKGROUNDS = ["#c9d6df", "#dfe7d0", "#e8dcc9", "#d7d0e6", "#cfe3e8", "#ead1d1"]
CLOTHING = ["#1d3557", "#457b9d", "#e63946", "#2a9d8f", "#6d597a", "#264653", "#8a817c"]
FACE_BOX = (250, 230, 550, 640)  # the focal point: crops keep the face


def portrait_jpeg(*, seed: str, hair_colour: str, long_hair: bool) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    skin, hair = rng.choice(SKIN_TONES), HAIR_COLOURS[hair_colour]
    left, top, right, bottom = FACE_BOX

    if long_hair:
        draw.rounded_rectangle((left - 50, top - 40, right + 50, bottom + 180), 140, fill=hair)
    draw.ellipse((120, 760, 680, 1300), fill=rng.choice(CLOTHING))  # shoulders
    draw.rectangle((350, 600, 450, 790), fill=skin)  # neck
    draw.ellipse(FACE_BOX, fill=skin)
    draw.chord((left - 10, top - 40, right + 10, top + 260), 180, 360, fill=hair)

    eye_y = top + 190 + rng.randint(-10, 10)
    for eye_x in (left + 90, right - 90):
        draw.ellipse((eye_x - 22, eye_y - 13, eye_x + 22, eye_y + 13), fill="#ffffff")
        draw.ellipse((eye_x - 10, eye_y - 10, eye_x + 10, eye_y + 10), fill="#3b2f2f")
        draw.line((eye_x - 30, eye_y - 40, eye_x + 30, eye_y - 44), fill=hair, width=9)
    draw.line((400, eye_y + 30, 388, eye_y + 95, 408, eye_y + 100), fill="#00000055", width=5)
    mouth_y = eye_y + 140
    draw.arc((345, mouth_y - 30, 455, mouth_y + 25), 20, 160, fill="#7a3b3b", width=7)

    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()

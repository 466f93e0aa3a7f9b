"""The printable poster (A4) and flyer (A5) of a live appeal, drawn as a PDF.

Drawn from what the public page shows and nothing else: the caller passes the live,
cleared appeal and the rendition of its first photo that the page shows. Text is real
text (searchable, read out by screen readers, copied), in DejaVu Sans, kept beside this
module so no machine needs fonts installed: unlike the Bitstream Vera that ships with
reportlab, it has the letters of names from across Europe and beyond (Ł, Ş, ễ). The QR
code is drawn as vector squares: sharp at any size a print shop scales it to. The flyer
is the poster scaled down by 1/sqrt(2) (A4 to A5), so both always say the same.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.utils.formats import date_format
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, Paragraph

PAPERS = {"a4": A4, "a5": A5}
PURPLE, YELLOW, INK = HexColor("#3d2272"), HexColor("#ffdd00"), HexColor("#0b0c0c")
MARGIN = 36  # points: half an inch, inside what home printers can reach

_FONTS = Path(__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont("PosterSans", _FONTS / "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("PosterSans-Bold", _FONTS / "DejaVuSans-Bold.ttf"))
pdfmetrics.registerFontFamily("PosterSans", normal="PosterSans", bold="PosterSans-Bold")

BODY = ParagraphStyle("body", fontName="PosterSans", fontSize=12, leading=15, textColor=INK)
FACT = ParagraphStyle("fact", parent=BODY, fontSize=13, leading=16, spaceAfter=5)
NAME = ParagraphStyle("name", parent=BODY, fontName="PosterSans-Bold", fontSize=30, leading=34)
CALL = ParagraphStyle("call", parent=BODY, fontSize=14, leading=18, spaceAfter=3)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11, textColor=HexColor("#505a5f"))


@dataclass(frozen=True)
class PosterContent:
    """Everything a poster says: public fields of the live appeal only."""

    name: str
    facts: list[tuple[str, str]]
    description: list[tuple[str, str]]
    police_force: str
    short_url: str
    photo: bytes | None

    @classmethod
    def of(cls, appeal, *, photo: bytes | None, short_url: str):
        facts = [
            ("Age", appeal.age_text),
            ("Missing since", date_format(appeal.missing_since, "j F Y")),
            ("Last seen in", appeal.last_seen_area),
            ("Gender", appeal.get_gender_display()),
            ("Height", appeal.height_text),
            ("Build", appeal.build),
            ("Hair", appeal.hair),
        ]
        description = [
            ("Last seen wearing", appeal.clothing),
            ("Distinguishing features", appeal.distinguishing_features),
        ]
        return cls(
            name=appeal.title,
            facts=[(label, value) for label, value in facts if value],
            description=[(label, value) for label, value in description if value],
            police_force=appeal.police_force.name,
            short_url=short_url,
            photo=photo,
        )


def poster_pdf(content: PosterContent, *, paper: str) -> bytes:
    """The poster on A4, or the flyer on A5 (the same drawing, scaled)."""
    width, height = PAPERS[paper]
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), lang="en-GB", pageCompression=1)
    canvas.setTitle(f"Missing: {content.name}")
    canvas.setAuthor("Homeward")
    canvas.setSubject(f"Have you seen {content.name}? Call 999 or call or text 116 000.")
    canvas.setCreator("Homeward")
    canvas.scale(width / A4[0], height / A4[1])
    _draw(canvas, content)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _paragraph(text: str, style: ParagraphStyle, *, bold: str = "") -> Paragraph:
    label = f"<b>{escape(bold)}:</b> " if bold else ""
    return Paragraph(label + escape(text).replace("\n", "<br/>"), style)


def _draw(canvas: Canvas, content: PosterContent) -> None:
    width, height = A4
    inner = width - 2 * MARGIN

    # "MISSING" across the top, white on purple.
    band = 96
    canvas.setFillColor(PURPLE)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("PosterSans-Bold", 72)
    canvas.drawCentredString(width / 2, height - band + 22, "MISSING")

    # The name, as large as fits on one line.
    name_size = 40
    while name_size > 22 and stringWidth(content.name, "PosterSans-Bold", name_size) > inner:
        name_size -= 1
    name_style = NAME.clone("name-fitted", fontSize=name_size, leading=name_size * 1.15)
    name_top = height - band - 16
    name_h = _frame(canvas, [_paragraph(content.name, name_style)], MARGIN, name_top, inner)

    # The photo, large, on the left; the facts beside it.
    photo_w, photo_h = 264, 330  # the page's 4:5 crop
    top = name_top - name_h - 14
    if content.photo:
        canvas.drawImage(
            ImageReader(BytesIO(content.photo)), MARGIN, top - photo_h, photo_w, photo_h
        )
    else:
        canvas.setFillColor(HexColor("#f3f2f1"))
        canvas.rect(MARGIN, top - photo_h, photo_w, photo_h, stroke=0, fill=1)
    side_x = MARGIN + photo_w + 20
    facts = [_paragraph(value, FACT, bold=label) for label, value in content.facts]
    _frame(canvas, facts, side_x, top, width - MARGIN - side_x, photo_h)

    # What they were wearing and how to know them, full width under the photo.
    help_h = 168
    footer_h = 40
    description_top = top - photo_h - 14
    description_bottom = MARGIN + footer_h + help_h + 12
    paragraphs = [_paragraph(value, BODY, bold=label) for label, value in content.description]
    if paragraphs:
        _frame(
            canvas, paragraphs, MARGIN, description_top, inner, description_top - description_bottom
        )

    # What to do: yellow, as on the site, with the QR code to the appeal.
    help_y = MARGIN + footer_h
    canvas.setFillColor(YELLOW)
    canvas.rect(MARGIN, help_y, inner, help_h, stroke=0, fill=1)
    qr_size = 132
    qr_x = width - MARGIN - 18 - qr_size
    _qr(canvas, content.short_url, qr_x, help_y + (help_h - qr_size) / 2, qr_size)
    calls = [
        _paragraph(
            f"Seen {content.name}?", NAME.clone("seen", fontSize=20, leading=24, spaceAfter=6)
        ),
        Paragraph("<b>With them now? Call 999.</b>", CALL),
        Paragraph("Or call or text <b>116 000</b>: free, confidential, 24 hours.", CALL),
        Paragraph(f"Or report a sighting at <b>{escape(_shown(content.short_url))}</b>", CALL),
    ]
    _frame(canvas, calls, MARGIN + 18, help_y + help_h - 12, qr_x - MARGIN - 36, help_h - 24)

    notes = [
        _paragraph(
            f"Homeward publishes this appeal on behalf of {content.police_force}. "
            f"If {_shown(content.short_url)} says the appeal has ended, please take this "
            "poster down.",
            SMALL,
        )
    ]
    _frame(canvas, notes, MARGIN, MARGIN + footer_h, inner, footer_h)


def _frame(canvas: Canvas, flowables, x: float, top: float, w: float, h: float = 0) -> float:
    """Flowables in a box from ``top`` down, at most ``h`` high (if given), shrunk to fit
    rather than cut; returns the height they took."""
    box = KeepInFrame(w, h or 1000, flowables, mode="shrink")
    _, used = box.wrapOn(canvas, w, h or 1000)
    box.drawOn(canvas, x, top - used)
    return used


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    code = segno.make(url, error="m")
    rows = list(code.matrix_iter(scale=1, border=2))
    module = size / len(rows)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(INK)
    for row_number, row in enumerate(rows):
        for column, dark in enumerate(row):
            if dark:
                top = y + size - (row_number + 1) * module
                # A hair wider than a module, so no white seams appear between them.
                canvas.rect(
                    x + column * module, top, module + 0.05, module + 0.05, stroke=0, fill=1
                )


def _shown(url: str) -> str:
    """The address as people type it: no scheme."""
    return url.split("://", 1)[-1]

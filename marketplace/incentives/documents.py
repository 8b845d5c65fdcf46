"""PDF documents of a decided claim: the job centre's decision letter and the tax-incentive
certificate.

Choices:
- reportlab (platypus), not weasyprint: weasyprint needs the system Pango libraries, which a
  fresh machine with only Python lacks; reportlab is pure Python and installs from
  requirements.txt alone.
- The DejaVu Sans fonts are bundled in fonts/ (licence in fonts/LICENSE) because the PDF must
  render Kazakh letters (ә ғ қ ң ө ұ ү һ і) and the tenge sign on any machine, and the PDF
  standard fonts have no Cyrillic at all. They are embedded (subset) in every document.
- `invariant=1`: no creation date or random document id, so the same claim, language and URL
  give byte-identical output (cacheable, comparable in tests).
- Every visible string goes through flask_babel `gettext` inside `force_locale(language)`, and
  dates through `format_date`, so a document is in the language asked for and not the
  reader's. Callers need an application context.
- Only what the decision is about goes in: the parties, the job and the money. Nothing from the
  candidate's restriction or conviction records, nor the disclosure, is read here.
"""

import io
import threading
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import force_locale, format_date, gettext, ngettext
from flask_babel import lazy_gettext as _l
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from marketplace.errors import DomainError
from marketplace.incentives.models import Claim, ClaimStatus, ProgrammeKind

S = ClaimStatus

FONT_DIR = Path(__file__).with_name("fonts")
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
_font_lock = threading.Lock()
_fonts_ready = False

# The decision was an approval: also once the claim went on to be paid, completed or ended.
APPROVED_STATES = (S.APPROVED, S.ACTIVE, S.COMPLETED, S.TERMINATED)
# A certificate stands while the hire does: not for a claim ended early.
CERTIFIED_STATES = (S.APPROVED, S.ACTIVE, S.COMPLETED)

BODY = ParagraphStyle("claim-body", fontName=FONT, fontSize=11, leading=15, spaceAfter=4)
HEADING = ParagraphStyle("claim-heading", parent=BODY, fontName=FONT_BOLD, fontSize=15,
                         leading=19, spaceAfter=8)
SMALL = ParagraphStyle("claim-small", parent=BODY, fontSize=9, leading=12)


class DocumentUnavailable(DomainError):
    """The claim is not in a state that has this document."""


def register_fonts() -> None:
    """Register the bundled fonts with reportlab once per process (thread-safe)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FONT_FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                      boldItalic=FONT_BOLD)
        _fonts_ready = True


def currency_sign() -> str:
    """The tenge sign if the font draws it, else the ISO code."""
    register_fonts()
    return "₸" if ord("₸") in pdfmetrics.getFont(FONT).face.charToGlyph else "KZT"


def format_tenge(amount: Decimal) -> str:
    """1020000 -> "1 020 000.00 ₸": the same on every document, whatever the language."""
    return f"{Decimal(amount):,.2f}".replace(",", " ") + f" {currency_sign()}"


# What a claim must be for each document.

def _ensure_decided(claim: Claim) -> bool:
    """True for an approval, False for a rejection; refuses an undecided claim."""
    decided = claim.decided_at is not None and claim.document_code
    if not decided or claim.status not in (*APPROVED_STATES, S.REJECTED):
        raise DocumentUnavailable(_l("Only a decided claim has a decision letter."),
                                  status=claim.status.value)
    return claim.status in APPROVED_STATES


def _ensure_certified(claim: Claim) -> None:
    certified = (claim.programme.kind is ProgrammeKind.TAX_CERTIFICATE
                 and claim.status in CERTIFIED_STATES
                 and claim.decided_at is not None and claim.document_code)
    if not certified:
        raise DocumentUnavailable(_l("Only an approved tax-incentive claim has a certificate."),
                                  status=claim.status.value)


# Building blocks. Values are escaped: Paragraph reads its text as markup.

def _text(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _field(label: str, value) -> Paragraph:
    return Paragraph(f"<b>{escape(label)}:</b> {escape(str(value))}", BODY)


def _date(value) -> str:
    return format_date(value, format="long")


def _job_centre(claim: Claim, language: str) -> Paragraph:
    return _text(gettext("Job centre of %(region)s", region=claim.region.name_in(language)))


def _parties(claim: Claim, language: str) -> list[Paragraph]:
    employment = claim.employment
    application = employment.application
    organisation = claim.organisation
    return [
        _field(gettext("Employer"), gettext("%(name)s, BIN %(bin)s", name=organisation.name,
                                            bin=organisation.bin)),
        _field(gettext("Programme"), claim.programme.name_in(language)),
        _field(gettext("Employee"), application.profile.user.full_name),
        _field(gettext("Job title"), application.vacancy.title),
        _field(gettext("Start date"), _date(employment.start_date)),
    ]


def _amounts(claim: Claim) -> list[Paragraph]:
    rows = []
    if claim.months and claim.monthly_amount is not None:
        rows.append(_field(gettext("Amount"), ngettext(
            "%(amount)s a month for %(num)d month", "%(amount)s a month for %(num)d months",
            claim.months, amount=format_tenge(claim.monthly_amount))))
    rows.append(_field(gettext("Total"), format_tenge(claim.total_amount)))
    return rows


def _verification(verify_url: str) -> list:
    return [Spacer(1, 8 * mm),
            _text(gettext("Check this document at %(url)s", url=verify_url), SMALL)]


def _render(title: str, story: list, language: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=gettext("Job centre"),
                            lang=language, invariant=1, leftMargin=25 * mm,
                            rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm)
    doc.build(story)
    return buffer.getvalue()


# The documents.

def decision_letter_pdf(claim: Claim, language: str, *, verify_url: str) -> bytes:
    """The job centre's letter on an approved or rejected claim, in `language` (kk/ru/en)."""
    approved = _ensure_decided(claim)
    register_fonts()
    with force_locale(language):
        title = gettext("Decision on a subsidy claim")
        decision = gettext("Approved") if approved else gettext("Rejected")
        story = [
            _text(title, HEADING),
            _job_centre(claim, language),
            _field(gettext("Document code"), claim.document_code),
            _field(gettext("Date of decision"), _date(claim.decided_at)),
            *_parties(claim, language),
            _field(gettext("Decision"), decision),
            _field(gettext("Reason"), claim.decision_reason),
            *(_amounts(claim) if approved else []),
            *_verification(verify_url),
        ]
        return _render(title, story, language)


def tax_certificate_pdf(claim: Claim, language: str, *, verify_url: str) -> bytes:
    """The certificate of an approved tax-incentive claim, in `language` (kk/ru/en)."""
    _ensure_certified(claim)
    register_fonts()
    with force_locale(language):
        title = gettext("Tax-incentive certificate")
        story = [
            _text(title, HEADING),
            _job_centre(claim, language),
            _field(gettext("Certificate number"), claim.document_code),
            _field(gettext("Date of issue"), _date(claim.decided_at)),
            *_parties(claim, language),
            _field(gettext("Certified amount"), format_tenge(claim.total_amount)),
            _field(gettext("Under the rules in force from"),
                   _date(claim.rule_version.effective_from)),
            *_verification(verify_url),
        ]
        return _render(title, story, language)

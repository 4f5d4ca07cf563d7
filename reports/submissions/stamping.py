"""Stamping official tables with a verification code, and checking such a code.

The code is an HMAC-SHA256 over the whole workbook as a reader sees it: every non-empty cell of
every sheet (hidden ones included) with its sheet and cell address, each sheet's name and state,
the issuing block (issuing organisation, its code, the date, the contact person and phone, which
are cells like any other) and the SHA-256 digest of the seal image. Only the cell holding the
code itself is left out. The signer is fed while the rows stream out, so memory stays flat; the
verifier reads the file back cell by cell and, besides recomputing the code, checks the layout
of a stamped table so that it can say *where* something was added: a cell right of the header,
rows below the issuing block, a second issuer line, a sheet that was not stamped, a seal that
was replaced or removed.

Keys come from ``settings.REPORT_SIGNING_KEYS`` ("kid:secret,kid:secret"; the first signs, all
verify, so a key can be rotated without invalidating tables already sent up). The key id is part
of the code, e.g. ``k2026-7Q2M-XK4D-94HT-B0ZR-PA3N``.
"""

import base64
import hashlib
import hmac
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import openpyxl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.escape import unescape

VERSION = "youthleague-stamp-v2"

ISSUER = "填报单位（盖章）"
ISSUER_CODE = "组织代码"
ISSUED_ON = "填报日期"
CONTACT = "联系人"
PHONE = "联系电话"
CODE = "验证码"
# The blank rows between the last row of the table and the issuing block.
FOOTER_GAP = 1
# A document property naming the seal's digest: not trusted, only used to say what changed.
SEAL_PROPERTY = "seal_sha256"
FOOTER_LABELS = (ISSUER, ISSUER_CODE, ISSUED_ON, CONTACT, PHONE, CODE)


def signing_keys():
    """``{key id: secret}`` in the configured order (the first one signs)."""
    raw = getattr(settings, "REPORT_SIGNING_KEYS", "") or ""
    keys = {}
    for item in raw.split(","):
        if ":" in item:
            kid, secret = item.strip().split(":", 1)
            if kid and secret:
                keys[kid] = secret.encode()
    if not keys:
        raise ImproperlyConfigured("REPORT_SIGNING_KEYS must hold at least one kid:secret pair.")
    if any(secret == settings.SECRET_KEY.encode() for secret in keys.values()):
        raise ImproperlyConfigured("A report signing key must not be the SECRET_KEY.")
    return keys


def canonical(value):
    """A cell value as text, the same whether it comes from Python or back from the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        rounded = (value + timedelta(seconds=30)).replace(second=0, microsecond=0)
        return rounded.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".10g")
    if isinstance(value, str):
        return unescape(value) if "_x" in value else value
    return str(value)


def _record(*values):
    return (json.dumps(list(values), ensure_ascii=False) + "\n").encode()


_LETTERS = []


def _letter(index):
    """The column letter of a 0-based column index (cached: the verifier asks for each cell)."""
    while len(_LETTERS) <= index:
        _LETTERS.append(get_column_letter(len(_LETTERS) + 1))
    return _LETTERS[index]


def image_digest(data):
    """The digest by which a seal image is signed."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Footer:
    issuer: str
    issuer_code: str
    issued_on: str
    contact: str
    phone: str

    def lines(self):
        return [
            (ISSUER, self.issuer),
            (ISSUER_CODE, self.issuer_code),
            (ISSUED_ON, self.issued_on),
            (CONTACT, self.contact),
            (PHONE, self.phone),
        ]


class Signer:
    """Feed it each sheet and each row of cells as they are written; then ask for the code.

    Rows are numbered as Excel shows them (from 1), cells from column A. Empty cells are left
    out, so a cell a spreadsheet program writes back empty changes nothing. The cells stream
    into a plain SHA-256; the key only enters at the end, so the verifier can read the whole
    file before it knows which key the code names.
    """

    def __init__(self, kid=None):
        self.kid = kid or next(iter(signing_keys()))
        self._digest = hashlib.sha256(VERSION.encode() + b"\n")

    def sheet(self, name, state="visible"):
        self._digest.update(_record("sheet", name, state or "visible"))

    def row(self, number, values):
        # One record per row; each cell as address, length and text, so no text can pose as
        # another cell. The export feeds millions of rows through here: keep it lean.
        parts = []
        for column, value in enumerate(values):
            text = canonical(value)
            if text:
                parts.append(f"{_letter(column)}{number}:{len(text)}:{text}")
        if parts:
            self._digest.update(("\x1e".join(parts) + "\n").encode())

    def code(self, *, seal_digests=(), kid=None):
        """The code over everything fed so far and the digests of the workbook's images."""
        kid = kid or self.kid
        content = self._digest.copy()
        content.update(_record("images", *sorted(seal_digests)))
        mac = hmac.new(signing_keys()[kid], content.digest(), hashlib.sha256)
        digest = base64.b32encode(mac.digest()).decode()[:20]
        return f"{kid}-" + "-".join(digest[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    issuer: str = ""
    issuer_code: str = ""
    issued_on: str = ""
    where: str = ""
    stamped: bool = True

    def describe(self):
        if self.ok:
            return _("Verification passed: %(who)s.") % {"who": self._who()}
        if not self.stamped:
            return _("This file carries no stamp: %(reason)s.") % {"reason": self.reason}
        text = self.reason
        if self.where:
            text = _("%(reason)s, at %(where)s") % {"reason": text, "where": self.where}
        if self.issuer:
            return _("Verification failed: %(reason)s (%(who)s).") % {
                "reason": text,
                "who": self._who(),
            }
        return _("Verification failed: %(reason)s.") % {"reason": text}

    def _who(self):
        return _("issued by %(issuer)s (%(code)s) on %(date)s") % {
            "issuer": self.issuer or "—",
            "code": self.issuer_code or "—",
            "date": self.issued_on or "—",
        }


def _where(sheet, row=None, column=None):
    if row is None:
        return _("sheet “%(sheet)s”") % {"sheet": sheet}
    return _("sheet “%(sheet)s”, cell %(cell)s") % {
        "sheet": sheet,
        "cell": f"{_letter(column - 1)}{row}",
    }


class _Layout:
    """Walks the rows of a stamped table sheet and notes the first thing outside the layout
    the writer produces: title, header, rows, a blank gap, the issuing block, nothing else."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.width = 0
        self.state = "title"
        self.gap = 0
        self.footer = {}  # label -> (row, value)
        self.code = ""
        self.code_row = None
        self.problem = None  # (reason, where)

    def _flag(self, reason, row, column):
        if self.problem is None:
            self.problem = (reason, _where(self.sheet, row, column))

    def feed(self, number, values):
        """Look at one row; returns the values the signer must see (the code cell left out)."""
        filled = [i for i, v in enumerate(values, start=1) if canonical(v)]
        first = canonical(values[0]) if values else ""
        if number == 1:
            for column in filled[1:]:
                self._flag(_("a cell beside the title"), number, column)
            return values
        if number == 2:
            self.width = len(filled)
            if filled != list(range(1, self.width + 1)):
                self._flag(_("a column without a header"), number, filled[-1])
            self.state = "data"
            return values
        if self.state == "gap" and filled:
            if self.gap != FOOTER_GAP or first != ISSUER:
                self._flag(_("rows added below a blank gap"), number, filled[0])
            self.state = "footer"
        if self.state in ("data", "gap"):
            beyond = [column for column in filled if column > self.width]
            if beyond:
                self._flag(_("a column without a header"), number, beyond[0])
            if not filled:
                self.state, self.gap = "gap", self.gap + 1
                return values
            if first not in FOOTER_LABELS:
                return values
            # An issuing line with no gap above it: read on as the issuing block.
            self._flag(_("an issuing line inside the table"), number, 1)
            self.state = "footer"
        if self.state == "after":
            if filled:
                self._flag(_("rows added below the issuing block"), number, filled[0])
            return values
        return self._footer_line(number, values, filled, first)

    def _footer_line(self, number, values, filled, first):
        """A line of the issuing block: the labels in order, in columns A and B only."""
        if not filled:
            self._flag(_("a blank line inside the issuing block"), number, 1)
            return values
        beside = [column for column in filled if column > 2]
        if beside:
            self._flag(_("a cell beside the issuing block"), number, beside[0])
        if first in self.footer:
            self._flag(
                _("a second “%(label)s” line (the first is in row %(row)d)")
                % {"label": first, "row": self.footer[first][0]},
                number,
                1,
            )
            return values
        expected = FOOTER_LABELS[min(len(self.footer), len(FOOTER_LABELS) - 1)]
        if first != expected:
            self._flag(
                _("“%(found)s” where the issuing block has “%(label)s”")
                % {"found": first, "label": expected},
                number,
                1,
            )
        value = canonical(values[1]) if len(values) > 1 else ""
        self.footer[first] = (number, value)
        if first == CODE:
            self.code, self.code_row = value, number
            self.state = "after"
            return values[:1]
        return values

    def finish(self):
        if self.code and self.state != "after":
            self._flag(_("the issuing block is incomplete"), self.code_row or 1, 1)

    def details(self):
        return {
            "issuer": self.footer.get(ISSUER, (0, ""))[1],
            "issuer_code": self.footer.get(ISSUER_CODE, (0, ""))[1],
            "issued_on": self.footer.get(ISSUED_ON, (0, ""))[1],
        }


# Parts of a workbook that show a reader something besides cells and the seal.
FOREIGN_PARTS = (
    ("xl/comments", gettext_noop("comments")),
    ("xl/threadedComments/", gettext_noop("comments")),
    ("xl/charts/", gettext_noop("a chart")),
    ("xl/chartsheets/", gettext_noop("a chart")),
    ("xl/embeddings/", gettext_noop("an embedded object")),
    ("xl/activeX/", gettext_noop("an embedded object")),
    ("xl/ctrlProps/", gettext_noop("an embedded object")),
    ("xl/vbaProject", gettext_noop("macros")),
)


def _package(file):
    """The digests of the workbook's images (a seal is one), and what else it holds that a
    reader would see outside the cells: comments, charts, objects, text boxes."""
    images, foreign = [], []
    with zipfile.ZipFile(file) as archive:
        for name in archive.namelist():
            if name.startswith("xl/media/"):
                images.append(image_digest(archive.read(name)))
            elif name.startswith("xl/drawings/") and name.endswith(".xml"):
                drawing = archive.read(name)
                if b"<a:t>" in drawing or b"<a:t " in drawing:
                    foreign.append((_("a text box"), name))
            else:
                foreign.extend(
                    (_(what), name) for prefix, what in FOREIGN_PARTS if name.startswith(prefix)
                )
    return images, foreign


def _rewind(file):
    if hasattr(file, "seek"):
        file.seek(0)


def verify_workbook(file):
    """Check a stamped workbook; returns a :class:`Verdict` (never raises for a bad file).

    Formulas are read as formulas, not as cached values, so a cell that Excel would compute
    cannot hide from the check.
    """
    try:
        _rewind(file)
        images, foreign = _package(file)
        _rewind(file)
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
    except Exception:
        return Verdict(False, _("the file is not a readable .xlsx workbook"), stamped=False)
    signer = Signer(kid="-")
    layout = None
    problems = []
    try:
        props = {p.name: p.value for p in workbook.custom_doc_props.props}
        worksheets = {sheet.title for sheet in workbook.worksheets}
        for name in workbook.sheetnames:
            if name not in worksheets:
                problems.append((_("a sheet that was not stamped"), _where(name)))
        for index, sheet in enumerate(workbook.worksheets):
            sheet.reset_dimensions()  # a stale dimension must not hide cells from the check
            signer.sheet(sheet.title, sheet.sheet_state)
            if index == 0:
                layout = _Layout(sheet.title)
                if sheet.sheet_state != "visible":
                    problems.append((_("the stamped sheet was hidden"), _where(sheet.title)))
            else:
                reason = (
                    _("a sheet that was not stamped")
                    if sheet.sheet_state == "visible"
                    else _("a hidden sheet that was not stamped")
                )
                problems.append((reason, _where(sheet.title)))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                values = list(values)
                if layout is not None and index == 0:
                    values = layout.feed(number, values)
                signer.row(number, values)
            if index == 0:
                layout.finish()
    except Exception:
        return Verdict(False, _("the file is not a readable .xlsx workbook"), stamped=False)
    finally:
        workbook.close()
    if layout is None or not layout.code:
        return Verdict(False, _("it has no verification code"), stamped=False)
    details = layout.details()
    if layout.problem:
        problems.insert(0, layout.problem)
    problems.extend(_seal_problems(images, props.get(SEAL_PROPERTY), layout.sheet))
    problems.extend(
        (_("%(what)s outside the cells") % {"what": what}, part) for what, part in foreign
    )
    if problems:
        reason, where = problems[0]
        return Verdict(False, reason, where=where, **details)
    kid = layout.code.split("-", 1)[0]
    if kid not in signing_keys():
        return Verdict(False, _("the code was made with an unknown key"), **details)
    expected = signer.code(seal_digests=images, kid=kid)
    if not hmac.compare_digest(expected, layout.code):
        return Verdict(
            False, _("the data, the issuer or the date differ from what was stamped"), **details
        )
    return Verdict(True, "", **details)


def _seal_problems(images, hint, sheet):
    """What became of the seal, judged against the (unsigned) digest noted when stamping."""
    where = _where(sheet)
    if len(images) > 1:
        return [(_("an image was added"), where)]
    if hint and not images:
        return [(_("the seal image was removed"), where)]
    if hint and images[0] != hint:
        return [(_("the seal image was replaced"), where)]
    return []

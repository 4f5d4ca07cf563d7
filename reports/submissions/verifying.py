"""Checking a stamped table (see :mod:`reports.submissions.stamping` for the code and the stamp):
recompute the code while reading the file back cell by cell, and check the layout of a stamped
table so that the verdict can say *where* something was added, replaced or removed."""

import hmac
import zipfile
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reports.submissions.stamping import (
    CODE,
    FOOTER_GAP,
    FOOTER_LABELS,
    ISSUED_ON,
    ISSUER,
    ISSUER_CODE,
    SEAL_PROPERTY,
    Signer,
    _letter,
    canonical,
    image_digest,
    signing_keys,
)


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

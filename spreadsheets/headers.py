"""Finding a table's header row as people write it.

Header cells are compared with every white space removed (half and full width, line breaks)
and without the asterisks that templates put on required columns, so 姓　名 and 公民身份\\n号码
match. Each table names its accepted aliases (智慧团建's 身份证号 for 公民身份号码). Columns the
table does not know are ignored, and listed so that a dry run can say so.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

#: rows searched for the header, from the top of each sheet
HEADER_SEARCH_ROWS = 20


def compact(text):
    """A header cell as it is compared: no white space, no required-column asterisks."""
    return "".join(str(text).split()).strip("*＊")


class HeaderError(Exception):
    """The header row is unusable; the message is for the user."""


@dataclass
class Header:
    """Where the header is and what each of its cells means."""

    index: int  # position of the header among the rows searched
    positions: list  # (cell index, column name) for every known column
    ignored: list = field(default_factory=list)  # cells of columns the table does not know


@dataclass
class _Candidate:
    header: Header
    missing: list


class HeaderFinder:
    """Matches rows against a table's ``columns`` (with ``aliases``: alias -> column)."""

    def __init__(self, columns, required, aliases=None):
        self.columns = list(columns)
        self.required = [c for c in self.columns if c in set(required)]
        self.names = {compact(c): c for c in self.columns}
        for alias, column in (aliases or {}).items():
            self.names.setdefault(compact(alias), column)
        self.best = None

    def match(self, index, cells):
        """The header if row ``cells`` holds every required column, else None."""
        texts = [(i, compact(c)) for i, c in enumerate(cells) if isinstance(c, str) and c.strip()]
        if not texts or any(not isinstance(c, str) for c in cells if c not in (None, "")):
            return None
        positions, ignored, seen = [], [], {}
        for i, text in texts:
            column = self.names.get(text)
            if column is None:
                ignored.append(text)
                continue
            if column in seen:
                raise HeaderError(
                    _("Column %(name)s appears twice in the header row (%(first)s and %(second)s).")
                    % {"name": column, "first": seen[column], "second": text}
                )
            seen[column] = text
            positions.append((i, column))
        missing = [c for c in self.required if c not in seen]
        header = Header(index, positions, ignored)
        if not missing:
            return header
        if positions and (self.best is None or len(positions) > len(self.best.header.positions)):
            self.best = _Candidate(header, missing)
        return None

    def failure(self):
        """The message when no row matched: the missing columns of the closest row."""
        if self.best is None:
            return _(
                "No header row found in the first %(n)d rows of any sheet. It must contain the "
                "columns: %(expected)s."
            ) % {"n": HEADER_SEARCH_ROWS, "expected": "、".join(self.required)}
        return _("The header row lacks the column(s): %(missing)s.") % {
            "missing": "、".join(self.best.missing)
        }

"""Stamping official tables with a verification code (the check is in :mod:`.verifying`).

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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
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

"""Stamping official tables with a verification code, and checking such a code.

The code is an HMAC-SHA256 over a canonical form of everything a reader of the sheet relies on:
the title, the header, every data cell, and the footer (issuing organisation, its code, the date,
the contact person and phone). It is computed while the rows stream out, so memory stays flat.
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

import openpyxl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape

VERSION = "youthleague-stamp-v1"

ISSUER = "填报单位（盖章）"
ISSUER_CODE = "组织代码"
ISSUED_ON = "填报日期"
CONTACT = "联系人"
PHONE = "联系电话"
CODE = "验证码"
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


def _line(values):
    return (json.dumps([canonical(v) for v in values], ensure_ascii=False) + "\n").encode()


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
    """Feed it the title, header and rows as they are written; then ask for the code."""

    def __init__(self, kid=None):
        keys = signing_keys()
        self.kid = kid or next(iter(keys))
        self._mac = hmac.new(keys[self.kid], VERSION.encode() + b"\n", hashlib.sha256)

    def add(self, values):
        self._mac.update(_line(values))

    def code(self, footer):
        mac = self._mac.copy()
        mac.update(b"--footer--\n")
        for label, value in footer.lines():
            mac.update(_line([label, value]))
        digest = base64.b32encode(mac.digest()).decode()[:20]
        return f"{self.kid}-" + "-".join(digest[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    issuer: str = ""
    issuer_code: str = ""
    issued_on: str = ""

    def describe(self):
        who = _("issued by %(issuer)s (%(code)s) on %(date)s") % {
            "issuer": self.issuer or "?",
            "code": self.issuer_code or "?",
            "date": self.issued_on or "?",
        }
        if self.ok:
            return _("Verification passed: %(who)s.") % {"who": who}
        return _("Verification failed: %(reason)s (%(who)s).") % {"reason": self.reason, "who": who}


def verify_workbook(file):
    """Check a stamped workbook; returns a :class:`Verdict` (never raises for a bad file)."""
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:
        return Verdict(False, _("the file is not a readable .xlsx workbook"))
    try:
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    if len(rows) < 2:
        return Verdict(False, _("the sheet holds no table"))
    width = len([v for v in rows[1] if v is not None])
    title, header = rows[0][:1], rows[1][:width]
    index = 2
    data = []
    while index < len(rows) and any(v not in (None, "") for v in rows[index]):
        data.append((rows[index] + [None] * width)[:width])
        index += 1
    footer = {}
    for row in rows[index:]:
        if row and isinstance(row[0], str) and row[0] in FOOTER_LABELS:
            footer[row[0]] = canonical(row[1] if len(row) > 1 else None)
    details = {
        "issuer": footer.get(ISSUER, ""),
        "issuer_code": footer.get(ISSUER_CODE, ""),
        "issued_on": footer.get(ISSUED_ON, ""),
    }
    code = footer.get(CODE, "")
    if not code:
        return Verdict(False, _("the table carries no verification code"), **details)
    kid = code.split("-", 1)[0]
    if kid not in signing_keys():
        return Verdict(False, _("the code was made with an unknown key"), **details)
    signer = Signer(kid)
    signer.add(title)
    signer.add(header)
    for values in data:
        signer.add(values)
    expected = signer.code(
        Footer(
            issuer=details["issuer"],
            issuer_code=details["issuer_code"],
            issued_on=details["issued_on"],
            contact=footer.get(CONTACT, ""),
            phone=footer.get(PHONE, ""),
        )
    )
    if not hmac.compare_digest(expected, code):
        return Verdict(
            False, _("the data, the issuer or the date differ from what was stamped"), **details
        )
    return Verdict(True, "", **details)

"""Helpers for the member tests: a valid entry as a form would post it, a roster row."""

from datetime import date

import pytest

from members.choices import Gender
from members.demo import fake_id_number
from members.tables import roster
from tests.commands import run_import

BIRTH = date(2001, 3, 15)


def valid_id(serial=1, birth=BIRTH, gender=Gender.MALE):
    return fake_id_number(birth, gender, region="350102", serial=serial)


def entry_data(home, serial=1, **overrides):
    """POST data of the member form for a valid 2019 member of the branch ``home``."""
    data = {
        "name": "张晓明",
        "gender": Gender.MALE,
        "ethnicity": "01",
        "birth_date": BIRTH.isoformat(),
        "id_number": valid_id(serial),
        "education": "undergraduate",
        "identity": "student",
        "join_date": "2019-05-04",
        "development_number": f"2019{serial:08d}",
        "developing_organization": home.pk,
        "branch": home.pk,
        "phone": "13800138000",
    }
    data.update(overrides)
    return data


def roster_row(home, serial=1, **overrides):
    """A row of table 1-1 (a list in header order) for a valid 2019 member of ``home``."""
    values = {
        roster.SERIAL: serial,
        roster.NAME: f"团员{serial}",
        roster.GENDER: "男",
        roster.ETHNICITY: "汉族",
        roster.BIRTH_DATE: BIRTH,
        roster.ID_NUMBER: valid_id(serial),
        roster.EDUCATION: "本科",
        roster.IDENTITY: "学生",
        roster.JOIN_DATE: "2019-05-04",
        roster.DEVELOPMENT_NUMBER: f"2019{serial:08d}",
        roster.DEVELOPER: home.name,
        roster.DEVELOPER_CODE: home.code,
        roster.BRANCH: home.name,
        roster.BRANCH_CODE: home.code,
        roster.PHONE: "13800138000",
        roster.ENTERED_AT: "",
    }
    values.update(overrides)
    return [values[header] for header in roster.HEADER]


@pytest.fixture
def entry():
    return entry_data


def run_import_members(path, *args):
    """``(exit status, stdout, stderr)`` of ``manage.py import_members path args``."""
    return run_import("import_members", path, *args)

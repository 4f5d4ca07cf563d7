"""Issue 3's "done when", run as a script would: real commands against a fresh database."""

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from branches.importing import COLUMNS as ORG_COLUMNS
from members.tables import roster
from tests.members.conftest import roster_row
from tests.xlsx import read_xlsx, write_xlsx

ROOT = Path(__file__).resolve().parents[2]

ORGS = [
    ["P", "测试省团委", "", "省级团委", "机关", "", "", ""],
    ["C1", "甲市团委", "P", "市级团委", "机关", "", "", ""],
    ["C1-B1", "甲市第一团支部", "C1", "团支部", "企业", "", "", ""],
    ["C1-B2", "甲市第二团支部", "C1", "团支部", "企业", "", "", ""],
]


class Org:
    def __init__(self, code, name):
        self.code, self.name = code, name


B1 = Org("C1-B1", "甲市第一团支部")
B2 = Org("C1-B2", "甲市第二团支部")


def manage(database, *args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "youthleague.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ENV_FILE": "",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory):
    """A migrated database holding a small tree and a secretary; copied for each use."""
    folder = tmp_path_factory.mktemp("done")
    database = folder / "template.sqlite3"
    assert manage(database, "migrate", "--no-input").returncode == 0
    orgs = write_xlsx(folder / "orgs.xlsx", ORG_COLUMNS, ORGS)
    result = manage(database, "import_orgs", orgs)
    assert result.returncode == 0, result.stderr
    result = manage(database, "grant", "sec1", "--org", "C1-B1", "--role", "secretary")
    assert result.returncode == 0, result.stderr
    return database


@pytest.fixture
def database(fresh_database, tmp_path):
    copy = tmp_path / "db.sqlite3"
    shutil.copy(fresh_database, copy)
    return copy


def count_members(database):
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT COUNT(*) FROM members_member").fetchone()[0]


def test_done_when(database, fresh_database, tmp_path):
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        roster.HEADER,
        [
            roster_row(B1, 1),
            roster_row(B1, 2, **{roster.ID_NUMBER: "35010220010315002"}),  # row 4
            roster_row(B2, 3, **{roster.ETHNICITY: "火星族"}),  # row 5
        ],
    )
    result = manage(database, "import_members", bad)
    assert result.returncode == 1
    assert "第4行" in result.stderr and "第5行" in result.stderr
    assert "第3行" not in result.stderr
    assert count_members(database) == 0

    good = write_xlsx(
        tmp_path / "good.xlsx",
        roster.HEADER,
        [roster_row(B1 if n % 2 else B2, n) for n in range(1, 9)],
    )
    result = manage(database, "import_members", good)
    assert result.returncode == 0, result.stderr
    assert count_members(database) == 8

    first = tmp_path / "first.xlsx"
    result = manage(database, "export_report", "roster", "--org", "P", "--out", first)
    assert result.returncode == 0, result.stderr
    first_rows = read_xlsx(first)
    assert first_rows[1] == list(roster.HEADER)
    assert len(first_rows) == 2 + 8

    again = tmp_path / "again.sqlite3"
    shutil.copy(fresh_database, again)
    assert manage(again, "import_members", first).returncode == 0
    second = tmp_path / "second.xlsx"
    assert manage(again, "export_report", "roster", "--org", "P", "--out", second).returncode == 0
    assert read_xlsx(second) == first_rows


def test_secretary_adds_to_their_own_branch_only(database, tmp_path):
    other = write_xlsx(tmp_path / "other.xlsx", roster.HEADER, [roster_row(B2, 1)])
    result = manage(database, "import_members", other, "--as", "sec1")
    assert result.returncode == 1
    assert "第3行" in result.stderr
    own = write_xlsx(tmp_path / "own.xlsx", roster.HEADER, [roster_row(B1, 1)])
    result = manage(database, "import_members", own, "--as", "sec1")
    assert result.returncode == 0, result.stderr
    assert count_members(database) == 1

"""Hostile files are refused with a clear message, through the command and the admin's upload,
on every import endpoint and on /reports/verify/, with memory bounded and nothing written."""

import tracemalloc
from http import HTTPStatus

import pytest
from django.urls import reverse

from branches.models import Organization, Role
from members.models import Member
from members.tables import roster
from tests import factories
from tests.commands import run_import
from tests.members.conftest import roster_row
from tests.spreadsheets import hostile
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

MB = 2**20

DAMAGED = "已损坏"
BOMB = "压缩炸弹"


def rows_for(small_province, count=2):
    return [roster_row(small_province.branch, n) for n in range(1, count + 1)]


def hostile_file(kind, tmp_path, small_province, settings):
    """``(path, expected message)`` of one kind of hostile roster."""
    rows = rows_for(small_province)
    header = roster.HEADER
    if kind == "zip bomb":
        return hostile.zip_bomb(tmp_path, header, rows), BOMB
    if kind == "lying zip directory":
        return hostile.lying_bomb(tmp_path, header, rows), DAMAGED
    if kind == "too many rows":
        settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_ROWS": 3}
        path = write_xlsx(tmp_path / "rows.xlsx", header, rows_for(small_province, 6))
        return path, "超过3行"
    if kind == "oversized file":
        settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "MAX_FILE_BYTES": 1 * MB}
        return hostile.oversized(tmp_path, header, rows, size=MB + 200_000), "文件超过1 MB"
    if kind == "truncated XML":
        return hostile.truncated_xml(tmp_path, header, rows), DAMAGED
    if kind == "PDF renamed .xlsx":
        return hostile.renamed_pdf(tmp_path), "不是表格文件"
    if kind == "too many parts":
        return hostile.too_many_parts(tmp_path, header, rows), "部件超过"
    raise AssertionError(kind)


KINDS = [
    "zip bomb",
    "lying zip directory",
    "too many rows",
    "oversized file",
    "truncated XML",
    "PDF renamed .xlsx",
    "too many parts",
]


class PeakMemory:
    """The largest Python allocation while the block runs, in bytes (tracemalloc)."""

    def __enter__(self):
        tracemalloc.start()
        return self

    def __exit__(self, *exc):
        self.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return False


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_file_through_the_command(kind, tmp_path, small_province, settings):
    """import_members exits 1 with the message; memory stays small; no member is written."""
    path, message = hostile_file(kind, tmp_path, small_province, settings)
    with PeakMemory() as memory:
        code, _out, err = run_import("import_members", path)
    assert code == 1
    assert message in err
    assert memory.peak < 32 * MB
    assert not Member.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_file_through_the_admin_upload(kind, client, tmp_path, small_province, settings):
    """The admin's import button answers the message (no 500); nothing is written."""
    path, message = hostile_file(kind, tmp_path, small_province, settings)
    client.force_login(small_province.secretary)
    with PeakMemory() as memory, path.open("rb") as handle:
        response = client.post(reverse("admin:members_member_table_import"), {"file": handle})
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert memory.peak < 48 * MB
    assert response.context["token"] is None
    assert not Member.objects.exists()


def test_hostile_file_through_verify(client, tmp_path, small_province):
    """/reports/verify/ refuses a zip bomb and truncated XML before reading a row."""
    client.force_login(small_province.secretary)
    rows = rows_for(small_province)
    for path, message in [
        (hostile.zip_bomb(tmp_path, roster.HEADER, rows), BOMB),
        (hostile.truncated_xml(tmp_path, roster.HEADER, rows), DAMAGED),
    ]:
        with PeakMemory() as memory, path.open("rb") as handle:
            response = client.post(reverse("reports:verify"), {"file": handle})
        assert response.status_code == HTTPStatus.OK
        assert message in response.content.decode()
        assert memory.peak < 48 * MB


@pytest.fixture
def endpoints(small_province):
    """Every upload endpoint: (url, user, POST data besides the file)."""
    sp = small_province
    classes = factories.class_branch(sp.county, code="C1-K1-CL1", name="高三1班团支部")
    factories.MemberFactory(branch=classes)  # the page offers the upload while someone waits
    staff = factories.user_with_role(sp.province, Role.PROVINCE, username="prov-staff")
    return {
        "roster": (reverse("admin:members_member_table_import"), sp.secretary, {}),
        "organisations": (reverse("admin:branches_organization_table_import"), staff, {}),
        "ranges": (reverse("admin:members_numberrange_table_import"), sp.county_user, {}),
        "unused numbers": (reverse("admin:members_unusednumber_table_import"), sp.county_user, {}),
        "moves": (reverse("admin:members_move_table_import"), sp.county_user, {}),
        "education counts": (reverse("admin:reports_educationcount_table_import"), staff, {}),
        "class moves": (
            reverse("moves:class", args=[classes.code]),
            sp.county_user,
            {"action": "upload"},
        ),
        "verify": (reverse("reports:verify"), sp.secretary, {}),
    }


@pytest.mark.parametrize(
    "endpoint",
    [
        "roster",
        "organisations",
        "ranges",
        "unused numbers",
        "moves",
        "education counts",
        "class moves",
        "verify",
    ],
)
def test_truncated_xml_is_a_clear_error_on_every_upload(endpoint, endpoints, client, tmp_path):
    """The seven import endpoints and verify answer 200 with the message, never a 500."""
    url, user, data = endpoints[endpoint]
    organisations = Organization.objects.count()
    path = hostile.truncated_xml(tmp_path, roster.HEADER, [["x"] * len(roster.HEADER)])
    client.force_login(user)
    with path.open("rb") as handle:
        response = client.post(url, {**data, "file": handle})
    assert response.status_code == HTTPStatus.OK, response
    assert DAMAGED in response.content.decode()
    assert Organization.objects.count() == organisations


def test_verify_report_command_refuses_a_zip_bomb(tmp_path, small_province):
    """verify_report passes the same guards: exit 1 with the message, memory bounded."""
    path = hostile.zip_bomb(tmp_path, roster.HEADER, rows_for(small_province))
    with PeakMemory() as memory:
        code, _out, err = run_import("verify_report", path)
    assert code == 1
    assert BOMB in err
    assert memory.peak < 32 * MB

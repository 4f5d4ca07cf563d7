"""Every view that returns a file goes through the one export function and writes a log row.

The views are found by walking the URL resolver (the admin's URLs included), not listed by
hand: a view that builds a file response itself fails the first test, and a view that uses the
export function but has no case here fails the second, so that every file view is requested
below and seen to write its row in the export log.
"""

import inspect
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign, CampaignKind, ExportJob, ExportLog, Submission
from reports.submissions.services import submission_create
from spreadsheets.tables import table_kinds
from tests import factories

pytestmark = pytest.mark.django_db

# What building a file response by hand looks like; only the export function may do it.
FILE_MARKERS = ("FileResponse", "StreamingHttpResponse", "Content-Disposition", "as_attachment")
EXPORT_CALL = "export_response("
ROOT = Path(django_settings.BASE_DIR)
EXPORT_MODULES = {
    ROOT / "reports" / "submissions" / "exporting.py",
    ROOT / "spreadsheets" / "exporting.py",
}
PROJECT_PACKAGES = ("branches", "members", "reports", "spreadsheets", "youthleague")


def url_views(resolver=None, namespace=""):
    """``(url name, view function)`` for every URL the project answers, the admin's included."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_views(pattern, inner)
            continue
        view = pattern.callback
        view = getattr(view, "view_class", None) or inspect.unwrap(view)
        view = getattr(view, "__func__", view)
        yield f"{namespace}{pattern.name}", view


def project_source(view):
    try:
        path = Path(inspect.getsourcefile(view)).resolve()
    except TypeError:
        return None
    if ".venv" in path.parts or ROOT not in path.parents:
        return None
    return inspect.getsource(view)


def file_views():
    """URL names of the project's views that hand out a file, and those that build it by hand."""
    exporting, by_hand = set(), set()
    for name, view in url_views():
        source = project_source(view)
        if source is None:
            continue
        if any(marker in source for marker in FILE_MARKERS):
            by_hand.add(name)
        if EXPORT_CALL in source:
            exporting.add(name)
    return exporting, by_hand


def test_no_view_builds_a_file_response_by_hand():
    """A file response anywhere but in the export function would leave the system unlogged."""
    _exporting, by_hand = file_views()
    assert by_hand == set()
    offenders = [
        str(path.relative_to(ROOT))
        for package in PROJECT_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if path not in EXPORT_MODULES
        and "migrations" not in path.parts
        and any(marker in path.read_text() for marker in FILE_MARKERS)
    ]
    assert offenders == []


# --- each file view, requested for real --------------------------------------------------------


@pytest.fixture
def world(scripted_province, people_table):
    p = scripted_province
    Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="test_people",
        metric="entry_ratio",
        threshold="0.6",
    )
    c1 = factories.user_with_role(p.c1, Role.COMMITTEE, username="c1")
    return p, c1


def download_every_public_table(client, p, user, settings, on_commit):
    for kind in table_kinds():
        extra = {"campaign": "summary"} if kind == "ranking" else {}
        response = client.get(reverse("reports:download", args=[kind]), extra)
        assert response.status_code == HTTPStatus.OK, kind
        yield kind


def export_job_download(client, p, user, settings, on_commit):
    settings.BACKGROUND_EXPORT_ROWS = 0
    with on_commit(execute=True):
        response = client.get(reverse("reports:download", args=["test_people"]))
    assert response.status_code == HTTPStatus.FOUND
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    ExportLog.objects.all().delete()  # the worker's own row; the download must add one
    assert client.get(reverse("reports:export_job_download", args=[job.pk])).status_code == 200
    return ["test_people"]


def submission_file(client, p, user, settings, on_commit):
    campaign = Campaign.objects.get(slug="summary")
    submission_create(campaign=campaign, organization=p.c1, user=user, override_reason="先行上报")
    ExportLog.objects.all().delete()  # freezing the tables logs; the download must add one
    stored = Submission.objects.get().files.get()
    assert client.get(reverse("reports:submission_file", args=[stored.pk])).status_code == 200
    return ["test_people"]


def lookup(client, p, user, settings, on_commit):
    response = client.post(reverse("members:lookup"), {"lines": "201900010001", "download": "1"})
    assert response.status_code == HTTPStatus.OK
    return ["lookup"]


def class_template(client, p, user, settings, on_commit):
    response = client.get(reverse("moves:class_template", args=[p.cb1.code]))
    assert response.status_code == HTTPStatus.OK
    return ["class_template"]


def admin_roster(client, p, user, settings, on_commit):
    response = client.get(reverse("admin:members_member_roster_export"))
    assert response.status_code == HTTPStatus.OK
    return ["roster"]


def _registration_year():
    return Campaign.objects.create(
        slug="registration",
        name="团籍注册",
        kind=CampaignKind.REGISTRATION,
        year=2024,
        deadline=timezone.localdate() + timedelta(days=5),
    )


def registration_sheet(client, p, user, settings, on_commit):
    year = _registration_year()
    response = client.get(
        reverse("reports:registration_sheet", args=[p.b1.code]), {"campaign": year.slug}
    )
    assert response.status_code == HTTPStatus.OK
    return ["registration_sheet"]


def registration_errors(client, p, user, settings, on_commit):
    year = _registration_year()
    header = ["序号", "姓名", "公民身份号码", "注册结果", "暂缓或不予注册原因", "评议等次"]
    rejected = client.post(
        reverse("reports:registration_branch", args=[p.b1.code]),
        {"action": "upload", "campaign": year.slug, "file": xlsx_upload(header, [["?"] * 6])},
    )
    token = rejected.context["report_token"]
    response = client.get(reverse("reports:registration_errors", args=[p.b1.code, token]))
    assert response.status_code == HTTPStatus.OK
    return ["registration_errors"]


IMPORT_FILE_SUFFIXES = ("_table_template", "_table_error_report")

CASES = {
    "reports:download": lambda *args: list(download_every_public_table(*args)),
    "reports:export_job_download": export_job_download,
    "reports:submission_file": submission_file,
    "members:lookup": lookup,
    "moves:class_template": class_template,
    "admin:members_member_roster_export": admin_roster,
    "reports:registration_sheet": registration_sheet,
    "reports:registration_errors": registration_errors,
}


def import_pages():
    """URL names of the admin import pages, each with a template and an error report."""
    return sorted(
        name.removesuffix("_table_template")
        for name, _view in url_views()
        if name.endswith("_table_template")
    )


def test_every_file_view_has_a_case():
    """A new file view (through the export function) must be requested below; every import
    page's template and error report are requested by the tests after this one."""
    exporting, _by_hand = file_views()
    generic = {f"{page}{suffix}" for page in import_pages() for suffix in IMPORT_FILE_SUFFIXES}
    assert exporting - generic == set(CASES)
    assert len(import_pages()) >= 6


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_file_view_writes_a_log_row(
    name, client, world, settings, django_capture_on_commit_callbacks
):
    p, user = world
    settings.BACKGROUND_EXPORT_ROWS = 50_000
    client.force_login(user)
    kinds = CASES[name](client, p, user, settings, django_capture_on_commit_callbacks)
    logged = list(ExportLog.objects.order_by("pk").values_list("user", "kind", "channel"))
    assert logged == [(user.pk, kind, "web") for kind in kinds]


@pytest.mark.parametrize("page", import_pages())
def test_every_import_template_and_error_report_writes_a_log_row(page, client, scripted_province):
    """Each admin import page hands out its empty template and, after a dry run that rejects a
    row, the error report: both leave through the export function and are logged."""
    province_user = factories.user_with_role(scripted_province.root, Role.PROVINCE, username="pv")
    client.force_login(province_user)
    response = client.get(reverse(f"{page}_table_template"))
    assert response.status_code == HTTPStatus.OK, page
    rows = read_xlsx_bytes(b"".join(response.streaming_content))
    header = [cell for cell in rows[1] if cell]
    assert header, page
    bad = client.post(
        reverse(f"{page}_table_import"),
        {"file": xlsx_upload(header, [["?"] * len(header)])},
    )
    report = bad.context["error_report_url"]
    assert report, page
    assert client.get(report).status_code == HTTPStatus.OK
    logged = list(ExportLog.objects.order_by("pk").values_list("user", "kind"))
    assert [kind.rsplit("_", 1)[1] for _user, kind in logged] == ["template", "errors"]
    assert {user for user, _kind in logged} == {province_user.pk}


def read_xlsx_bytes(data):
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def xlsx_upload(header, rows):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("t.xlsx", buffer.getvalue())

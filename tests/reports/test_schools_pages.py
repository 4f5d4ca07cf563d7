"""The reconciliation page, the explanation form and its permissions, and table 1-2."""

import io
from http import HTTPStatus

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from branches.models import Role
from reports.models import Explanation
from reports.tables.school_counts import COLUMNS
from tests import factories
from tests.reports.school_fixtures import CODES, YEAR, build_school_province
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["序号", "学校名称", "学校标识码", "办学性质", "所属设区市", "教育系统统计数"] + [
    "团内统计数",
    "差额",
    "差距比例",
    "情况说明",
]


@pytest.fixture
def province(scripted_province):
    return build_school_province(scripted_province)


@pytest.fixture
def users(province):
    s = province.scripted
    return {
        "province": factories.user_with_role(s.root, Role.PROVINCE, username="prov"),
        "city": factories.user_with_role(s.c1, Role.COMMITTEE, username="city"),
        "sibling": factories.user_with_role(s.c2, Role.COMMITTEE, username="sibling"),
        "county": factories.user_with_role(s.k1, Role.COMMITTEE, username="county"),
        "school": factories.user_with_role(s.s1, Role.COMMITTEE, username="school"),
        "secretary": factories.user_with_role(s.b1, Role.SECRETARY, username="sec"),
    }


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:schools"), params)


def explain(client, user, text=None, **params):
    client.force_login(user)
    url = reverse("reports:school_explain")
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items())
    if text is None:
        return client.get(url + query)
    return client.post(url + query, {"text": text})


# --- the page ---------------------------------------------------------------------------------


def test_city_page_lists_its_schools_private_first(client, province, users):
    response = page(client, users["city"], org="C1")
    assert response.status_code == HTTPStatus.OK
    result = response.context["result"]
    assert [line.school_code for line in result.lines] == [
        CODES["X1"],
        CODES["S2"],
        CODES["S1"],
        CODES["S6"],
    ]
    body = response.content.decode()
    assert "成建制漏统" in body and "组织空白点" in body and "民办" in body
    assert "本级团委情况说明" in body and "须作说明" in body
    assert "48.4%" in body  # the committee's own gap
    assert f'data-code="{CODES["S1"]}" class="named"' in body  # over 5%, not explained


def test_page_defaults_to_the_users_own_organisation(client, province, users):
    response = page(client, users["county"])
    assert response.context["organization"].code == "K1"
    assert {line.school_code for line in response.context["result"].lines} == {
        CODES["S2"],
        CODES["S6"],
    }


def test_a_school_committee_sees_its_school(client, province, users):
    response = page(client, users["school"])
    assert [line.school_code for line in response.context["result"].lines] == [CODES["S1"]]
    assert response.context["is_school"]


@pytest.mark.parametrize(
    ("who", "org", "status"),
    [
        ("province", "C2", HTTPStatus.OK),
        ("city", "C1", HTTPStatus.OK),
        ("city", "S2", HTTPStatus.OK),
        ("city", "C2", HTTPStatus.NOT_FOUND),
        ("sibling", "C1", HTTPStatus.NOT_FOUND),
        ("county", "C1", HTTPStatus.NOT_FOUND),
        ("school", "K1", HTTPStatus.NOT_FOUND),
        ("secretary", "C1", HTTPStatus.NOT_FOUND),
        ("secretary", "B1", HTTPStatus.FORBIDDEN),
        ("city", "NOPE", HTTPStatus.NOT_FOUND),
    ],
)
def test_page_access(client, province, users, who, org, status):
    assert page(client, users[who], org=org).status_code == status


def test_anonymous_is_sent_to_login(client, province):
    response = client.get(reverse("reports:schools"))
    assert response.status_code == HTTPStatus.FOUND


def test_page_for_another_year_and_a_year_without_figures(client, province, users):
    response = page(client, users["city"], org="C1", year="2018")
    assert response.status_code == HTTPStatus.OK
    assert {line.education for line in response.context["result"].lines} == {None}
    assert page(client, users["city"], org="C1", year="abc").status_code == HTTPStatus.NOT_FOUND
    assert page(client, users["city"], org="C1", year="99999").status_code == HTTPStatus.NOT_FOUND


def test_dashboard_links_to_the_page(client, province, users):
    client.force_login(users["city"])
    body = client.get(reverse("dashboard")).content.decode()
    assert f"{reverse('reports:schools')}?org=C1" in body


# --- explanations -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["school", "city", "province"])
def test_school_city_and_province_explain_a_school(client, province, users, who):
    response = explain(
        client,
        users[who],
        text="部分学生已转学。",
        org="S1" if who == "school" else "C1",
        year=YEAR,
        school=CODES["S1"],
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    explanation = Explanation.objects.get(school_code=CODES["S1"], year=YEAR)
    assert explanation.text == "部分学生已转学。"
    assert explanation.written_by == users[who]
    assert explanation.subject == Explanation.Subject.SCHOOL


@pytest.mark.parametrize(
    ("who", "status"),
    [("sibling", HTTPStatus.NOT_FOUND), ("secretary", HTTPStatus.NOT_FOUND)],
)
def test_others_may_not_explain_a_school(client, province, users, who, status):
    for text in (None, "越权"):
        response = explain(
            client,
            users[who],
            text=text,
            org="C2" if who == "sibling" else "B1",
            year=YEAR,
            school=CODES["S1"],
        )
        assert response.status_code in (status, HTTPStatus.FORBIDDEN)
    assert not Explanation.objects.exists()


def test_a_secretary_gets_403_on_their_own_branch(client, province, users):
    response = explain(client, users["secretary"], text="x", org="B1", year=YEAR)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Explanation.objects.exists()


def test_a_county_cannot_explain_a_school_of_its_city_outside_its_subtree(client, province, users):
    response = explain(client, users["county"], text="x", org="K1", year=YEAR, school=CODES["S1"])
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_school_absent_from_the_tree_is_explained_by_its_city(client, province, users):
    form = explain(client, users["city"], org="C1", year=YEAR, school=CODES["X1"])
    assert form.status_code == HTTPStatus.OK
    assert "成建制漏统" in form.content.decode()
    response = explain(
        client,
        users["city"],
        text="该校团组织尚未建立，正在组建。",
        org="C1",
        year=YEAR,
        school=CODES["X1"],
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Explanation.objects.filter(school_code=CODES["X1"]).exists()
    sibling = explain(client, users["sibling"], org="C2", year=YEAR, school=CODES["X1"])
    assert sibling.status_code == HTTPStatus.NOT_FOUND
    school = explain(client, users["school"], org="S1", year=YEAR, school=CODES["X1"])
    assert school.status_code == HTTPStatus.NOT_FOUND


def test_the_committee_writes_its_own_explanation_and_the_history_keeps_versions(
    client, province, users
):
    assert explain(client, users["city"], text="第一稿", org="C1", year=YEAR).status_code == 302
    assert explain(client, users["province"], text="第二稿", org="C1", year=YEAR).status_code == 302
    explanation = Explanation.objects.get(subject=Explanation.Subject.COMMITTEE)
    assert (explanation.organization.code, explanation.text) == ("C1", "第二稿")
    assert explanation.written_by == users["province"]
    form = explain(client, users["city"], org="C1", year=YEAR)
    history = form.context["history"]
    assert [version.text for version in history] == ["第二稿", "第一稿"]
    assert [version.history_user for version in history] == [users["province"], users["city"]]
    assert form.context["form"].initial["text"] == "第二稿"
    body = page(client, users["city"], org="C1").content.decode()
    assert "第二稿" in body
    assert explain(client, users["sibling"], text="x", org="C1", year=YEAR).status_code == 404
    assert explain(client, users["county"], text="x", org="C1", year=YEAR).status_code == 404


def test_an_empty_explanation_is_refused(client, province, users):
    response = explain(client, users["city"], text="   ", org="C1", year=YEAR, school=CODES["S1"])
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert not Explanation.objects.exists()


def test_an_unknown_school_is_404(client, province, users):
    response = explain(client, users["province"], org="P", year=YEAR, school="000")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_explained_schools_no_longer_count_as_unexplained(client, province, users):
    explain(client, users["city"], text="已说明", org="C1", year=YEAR, school=CODES["S1"])
    summary = page(client, users["city"], org="C1").context["result"].summary
    assert (summary.over_threshold, summary.unexplained) == (2, 1)


# --- table 1-2 --------------------------------------------------------------------------------


def export(tmp_path, *args):
    path = tmp_path / "table.xlsx"
    call_command("export_report", "school_counts", *args, "--out", str(path), stdout=io.StringIO())
    return path


def test_table_1_2_of_a_city_with_known_answers(tmp_path, province):
    Explanation.objects.create(
        year=YEAR, subject=Explanation.Subject.SCHOOL, school_code=CODES["S1"], text="转学3人"
    )
    rows = read_xlsx(export(tmp_path, "--org", "C1"))
    assert rows[0][0] == "2019年学校学生团员数量情况表（共青团甲市委员会）"
    assert rows[1] == HEADER
    assert rows[2:] == [
        [1, "甲市民办英才学校", CODES["X1"], "民办", "甲市", 30, 0, -30, 1, None],
        [2, "甲县民办中学", CODES["S2"], "民办", "甲市", 20, 19, -1, 0.05, None],
        [3, "甲市第一中学", CODES["S1"], "公办", "甲市", 12, 10, -2, 0.1667, "转学3人"],
        [4, "甲县职业中专团委", CODES["S6"], "公办", "甲市", None, 3, None, None, None],
    ]


def test_table_1_2_formats_the_ratio_as_a_percentage_and_codes_as_text(tmp_path, province):
    workbook = openpyxl.load_workbook(export(tmp_path, "--org", "P"))
    sheet = workbook.worksheets[0]
    assert [column.name for column in COLUMNS] == HEADER
    ratio = sheet.cell(row=3, column=9)
    assert ratio.value == 1 and ratio.number_format == "0.00%"
    code = sheet.cell(row=3, column=3)
    assert code.data_type == "s" and code.value == CODES["X1"]
    listed = [sheet.cell(row=r, column=3).value for r in range(3, sheet.max_row + 1)]
    assert CODES["X2"] in listed  # known only to the education figures, for the province
    owners = [sheet.cell(row=r, column=4).value for r in range(3, sheet.max_row + 1)]
    assert owners == ["民办"] * 3 + ["公办"] * 5


def test_table_1_2_stamped_verifies(tmp_path, province):
    factories.user_with_role(province.scripted.c1, Role.COMMITTEE, username="cityx")
    path = export(tmp_path, "--org", "C1", "--stamp", "--as", "cityx")
    out = io.StringIO()
    call_command("verify_report", str(path), stdout=out)
    assert "共青团甲市委员会" in out.getvalue()
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0].cell(row=4, column=7).value = 20  # S2's league count
    workbook.save(path)
    with pytest.raises((CommandError, SystemExit)):
        call_command("verify_report", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_table_1_2_download_stays_in_scope(client, province, users):
    client.force_login(users["city"])
    url = reverse("reports:download", args=["school_counts"])
    response = client.get(url, {"org": "C1", "year": YEAR})
    assert response.status_code == HTTPStatus.OK
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert len(rows) == 2 + 4
    assert client.get(url, {"org": "C2"}).status_code == HTTPStatus.NOT_FOUND

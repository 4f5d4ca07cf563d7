"""Batch look-up: every pasted line gets its whereabouts, in a bounded number of queries."""

from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse

from members import ledger
from members.demo import fake_id_number
from members.models import Member
from tests.factories import IssuedNumberFactory, n2019, numbered_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def whereabouts(p, user, lines):
    return [(f.whereabouts, f.detail) for f in ledger.look_up(lines, user=user)]


def test_each_whereabouts_for_a_city(p):
    IssuedNumberFactory(number_range=p.ranges["K1"], number=n2019(10026), organization=p.b2)
    lines = [
        "201900010001",  # used, in scope
        "201900010101",  # used in another city's range: outside, whether used or not
        "201900010012",  # registered voided
        "201900010026",  # issued, not entered
        "201900010030",  # unaccounted
        "201900010140",  # registered, but in another city's range: outside
        "201900020001",  # in no range
        "2019000100",  # malformed
        "abc",
    ]
    found = whereabouts(p, p.c1_user, lines)
    assert [w for w, _d in found] == [
        "used",
        "outside",
        "registered",
        "issued",
        "unaccounted",
        "outside",
        "outside",
        "malformed",
        "malformed",
    ]
    assert found[0][1] == "甲县第一团支部（B1）"
    assert found[1][1] == ""
    assert found[2][1] == "作废"
    assert found[3][1] == "甲县第二团支部"
    assert found[5][1] == ""


def test_the_province_sees_every_branch(p):
    found = whereabouts(p, p.province_user, ["201900010101", "201900010140", "201900010200"])
    assert found == [
        ("used", "乙市第一团支部（B4）"),
        ("registered", "未使用"),
        ("unaccounted", ""),
    ]


def test_full_width_digits_and_spaces_are_read(p):
    assert whereabouts(p, p.c1_user, ["２０１９ ０００１ ０００１"]) == [
        ("used", "甲县第一团支部（B1）")
    ]


def test_id_numbers(p):
    """An ID number outside the committee's scope reads the same whether it exists or not."""
    member = Member.objects.get(development_number=n2019(10001))
    foreign = Member.objects.get(development_number=n2019(10101))
    unknown = fake_id_number(member.birth_date, member.gender, region="110101", serial=3)
    broken = member.id_number[:-1] + ("0" if member.id_number[-1] != "0" else "1")
    found = whereabouts(
        p, p.c1_user, [member.id_number.lower(), foreign.id_number, unknown, broken]
    )
    assert found[0] == ("used", "甲县第一团支部（B1） 201900010001")
    assert found[1] == ("out_of_scope", "")
    assert found[2] == ("out_of_scope", "")
    assert found[3][0] == "malformed" and "校验位" in found[3][1]
    # The province sees everything: an absent number is simply not in the system.
    found = whereabouts(p, p.province_user, [foreign.id_number, unknown])
    assert found == [("used", "乙市第一团支部（B4） 201900010101"), ("not_found", "")]


def test_lookup_queries_are_bounded_by_chunks(p, django_assert_max_num_queries):
    """10,000 numbers: four queries per chunk of 1,000 and one for the user's ranges."""
    lines = [str(n2019(10001) + i) for i in range(10_000)]
    with django_assert_max_num_queries(4 * 10 + 4):
        found = ledger.look_up(lines, user=p.c1_user)
    assert len(found) == 10_000


# --- the page ----------------------------------------------------------------------------------


def post(client, user, text, **extra):
    client.force_login(user)
    return client.post(reverse("members:lookup"), {"lines": text, **extra})


def test_page_shows_findings_and_counts(client, p):
    response = post(client, p.c1_user, "201900010001\n\n201900010030\nxyz\n")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "共查询3行" in html
    assert "已录入系统" in html and "无下落" in html and "格式错误" in html
    assert "甲县第一团支部" in html


def test_page_downloads_the_answer_as_xlsx(client, p, tmp_path):
    response = post(client, p.c1_user, "201900010001\n201900010030", download="1")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "answer.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(path).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1] == ["序号", "查询内容", "类型", "下落", "说明"]
    assert rows[2] == [1, "201900010001", "发展团员编号", "已录入系统", "甲县第一团支部（B1）"]
    assert rows[3][3] == "无下落"


def test_page_refuses_more_than_ten_thousand_lines(client, p):
    response = post(client, p.c1_user, "\n".join(["201900010001"] * 10_001))
    assert response.status_code == HTTPStatus.OK
    assert "每次最多10000行" in response.content.decode()
    assert response.context["findings"] is None


def test_page_is_for_committees_and_the_province(client, p):
    client.force_login(p.b1_secretary)
    assert client.get(reverse("members:lookup")).status_code == HTTPStatus.FORBIDDEN
    client.force_login(p.k1_user)
    assert client.get(reverse("members:lookup")).status_code == HTTPStatus.OK

"""Batch look-up: every pasted line gets its whereabouts, in a bounded number of queries."""

from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse

from members.demo import fake_id_number
from members.models import LookupLog, Member
from members.numbers import lookup
from tests.factories import IssuedNumberFactory, n2019, new_member, numbered_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return numbered_province()


def whereabouts(p, user, lines):
    return [(f.whereabouts, f.detail) for f in lookup.look_up(lines, user=user)]


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
        found = lookup.look_up(lines, user=p.c1_user)
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


# --- scope and log -----------------------------------------------------------------------------


def test_own_range_numbers_used_outside_the_scope_are_told(p):
    """A number of the city's own range used by a member elsewhere is "used" (the ledger needs
    it), without saying where; a number of another city's range is "outside" whether used or
    not."""
    stray = new_member(p.b4, n2019(10060))
    assert stray.branch == p.b4
    found = whereabouts(p, p.c1_user, ["201900010060", "201900010101", "201900010149"])
    assert found == [
        ("used", "不在您的管理范围内"),
        ("outside", ""),
        ("outside", ""),
    ]


def test_an_out_of_scope_id_number_reads_the_same_on_the_page(client, p):
    foreign = Member.objects.get(development_number=n2019(10101))
    unknown = fake_id_number(foreign.birth_date, foreign.gender, region="110101", serial=7)
    response = post(client, p.c1_user, f"{foreign.id_number}\n{unknown}")
    html = response.content.decode()
    assert [f.whereabouts for f in response.context["findings"]] == ["out_of_scope"] * 2
    assert html.count("不在您的管理范围内") >= 2
    assert "乙市第一团支部" not in html


def test_every_look_up_is_logged(client, p):
    """Who, when, how many lines of each kind, from which scope, and whether downloaded."""
    member = Member.objects.get(development_number=n2019(10001))
    post(client, p.c1_user, f"201900010001\n{member.id_number}\nxyz")
    post(client, p.province_user, "201900010001", download="1")
    first, second = LookupLog.objects.order_by("at", "pk")
    assert (first.user, first.username, first.scope_code) == (p.c1_user, "c1", "C1")
    assert (first.lines, first.numbers, first.id_numbers, first.downloaded) == (3, 1, 1, False)
    assert first.at is not None
    assert (second.user, second.scope_code, second.lines, second.downloaded) == (
        p.province_user,
        "",
        1,
        True,
    )


def test_the_look_up_log_is_read_by_provincial_staff(client, p):
    lookup.look_up(["201900010001"], user=p.c1_user)
    url = reverse("admin:members_lookuplog_changelist")
    client.force_login(p.c1_user)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(p.province_user)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "c1" in response.content.decode()


def test_an_unused_number_of_an_open_year_is_available(p):
    """Until its year is over an unused number is available (可用), not unaccounted; the
    same number a year later is unaccounted."""
    from django.utils import timezone

    from tests.factories import NumberRangeFactory

    year = timezone.localdate().year
    NumberRangeFactory(organization=p.province, first=year * 10**8 + 1, last=year * 10**8 + 50)
    NumberRangeFactory(organization=p.c1, first=year * 10**8 + 1, last=year * 10**8 + 20)
    found = whereabouts(p, p.c1_user, [f"{year}00000005", "201900010030"])
    assert [w for w, _d in found] == ["available", "unaccounted"]

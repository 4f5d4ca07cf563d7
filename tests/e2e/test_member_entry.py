"""A branch secretary enters a new member in the browser, in Chinese, and finds them."""

from datetime import date, timedelta

import pytest

from members.choices import Gender
from members.demo import fake_id_number
from members.models import Member
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_secretary_enters_a_member_corrects_the_id_and_finds_them(page, small_province):
    joined = date.today() - timedelta(days=10)
    born = date(joined.year - 18, 3, 15)
    id_number = fake_id_number(born, Gender.MALE, region="350102", serial=42)
    wrong_id = id_number[:17] + ("1" if id_number[17] != "1" else "2")

    log_in(page, "sec")
    page.click("text=录入新团员")
    page.wait_for_url("**/admin/members/member/add/")
    assert page.locator("label[for=id_id_number]").inner_text().startswith("公民身份号码")
    # The branch and the developing organisation default to the secretary's branch.
    assert page.locator("#id_branch option:checked").inner_text() == "甲县第一团支部"
    assert page.locator("#id_developing_organization option:checked").inner_text() == (
        "甲县第一团支部"
    )

    page.fill("#id_name", "林晓明")
    page.select_option("#id_gender", label="男")
    page.select_option("#id_ethnicity", label="汉族")
    page.fill("#id_birth_date", born.isoformat())
    page.fill("#id_id_number", wrong_id)
    page.select_option("#id_education", label="高中")
    page.select_option("#id_identity", label="学生")
    page.fill("#id_join_date", joined.isoformat())
    page.fill("#id_development_number", f"{joined.year}00000001")
    page.fill("#id_phone", "13800138000")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")

    error = page.locator(".field-id_number .errorlist")
    assert "校验位" in error.inner_text()
    assert not Member.objects.exists()

    page.fill("#id_id_number", id_number.lower())
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/members/member/")
    assert "林晓明" in page.locator(".messagelist").inner_text()

    page.fill("#searchbar", "lxm")
    page.press("#searchbar", "Enter")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "林晓明" in rows.first.inner_text()
    assert id_number in rows.first.inner_text()

    member = Member.objects.get()
    assert member.id_number == id_number and member.branch == small_province.branch
    assert member.history.get().history_user == small_province.secretary

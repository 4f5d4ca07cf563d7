"""The entry form does the work: the ID number fills the birth date and gender, problems show
while typing, and 取下一个可用编号 reserves a number for this form until it is saved or released."""

from datetime import date

import pytest

from members.choices import Gender
from members.demo import fake_id_number
from members.models import IssuedNumber, Member
from tests.e2e.conftest import log_in
from tests.e2e.screens import screenshot
from tests.factories import numbered_province

pytestmark = pytest.mark.django_db(transaction=True)

RED = "rgb(200, 16, 46)"


def open_form(page):
    page.goto(f"{page.base_url}/admin/members/member/add/")
    page.wait_for_selector("#id_id_number")


def problems(page, field):
    return page.locator(f".live-check[data-for={field}] li.error")


def test_id_number_fills_birth_date_and_gender_and_problems_show_before_saving(page):
    numbered_province()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "b2")
    open_form(page)
    born = date(2003, 8, 9)
    number = fake_id_number(born, Gender.FEMALE, region="350102", serial=7)

    # A mistyped check digit is refused as it is typed, in red, with the save's own words.
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    page.fill("#id_id_number", wrong)
    problems(page, "id_number").first.wait_for()
    assert "校验位不对" in problems(page, "id_number").inner_text()
    assert problems(page, "id_number").evaluate("e => getComputedStyle(e).color") == RED
    assert page.input_value("#id_birth_date") == ""

    # The right number fills in what it holds and clears the problem.
    page.fill("#id_id_number", number)
    page.wait_for_function("document.getElementById('id_birth_date').value === '2003-08-09'")
    assert page.locator("#id_gender option:checked").inner_text() == "女"
    assert problems(page, "id_number").count() == 0

    # Joining at 14 is fine, at 10 it is not: the age problem shows before saving.
    page.fill("#id_join_date", "2014-01-01")
    page.locator("#id_join_date").dispatch_event("change")
    problems(page, "join_date").first.wait_for()
    assert "入团年龄应在14至28周岁之间" in problems(page, "join_date").inner_text()

    # A number of another year than the join year shows too.
    page.fill("#id_join_date", "2019-05-04")
    page.locator("#id_join_date").dispatch_event("change")
    page.fill("#id_development_number", "202000010026")
    page.locator("#id_development_number").dispatch_event("change")
    problems(page, "development_number").first.wait_for()
    assert "前4位必须是入团年份（2019）" in problems(page, "development_number").inner_text()
    assert problems(page, "join_date").count() == 0
    screenshot(page, "entry-form-checks-1366")
    assert not Member.objects.filter(id_number=number).exists()


def test_next_number_is_reserved_for_this_form_and_released_from_the_branch_page(page):
    p = numbered_province()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "b2")
    open_form(page)
    page.fill("#id_join_date", "2019-05-04")
    page.click("text=取下一个可用编号")
    page.wait_for_function("document.getElementById('id_development_number').value !== ''")
    assert page.input_value("#id_development_number") == "201900010026"
    assert "保留至" in page.inner_text(".dn-message")
    # Clicking again in this form gives the same number back: nothing is used up.
    page.fill("#id_development_number", "")
    page.click("text=取下一个可用编号")
    page.wait_for_function(
        "document.getElementById('id_development_number').value === '201900010026'"
    )
    assert IssuedNumber.objects.filter(organization=p.b2).count() == 1
    screenshot(page, "entry-form-reserved-1366")

    # Another form (a second tab) gets the next number.
    other = page.context.new_page()
    other.goto(f"{page.base_url}/admin/members/member/add/")
    other.fill("#id_join_date", "2019-05-04")
    other.click("text=取下一个可用编号")
    other.wait_for_function(
        "document.getElementById('id_development_number').value === '201900010027'"
    )
    other.close()

    # The branch page lists the secretary's reservations; one is released.
    page.goto(f"{page.base_url}/dashboard/")
    rows = page.locator("#reservations tbody tr")
    assert rows.count() == 2
    screenshot(page, "branch-reservations-1366")
    rows.filter(has_text="201900010027").locator("button.release").click()
    page.wait_for_load_state("networkidle")
    assert "编号 201900010027 已释放" in page.locator(".messages").inner_text()
    assert list(IssuedNumber.objects.values_list("number", flat=True)) == [201900010026]


def test_the_buttons_error_is_red(page):
    numbered_province()
    log_in(page, "b2")
    open_form(page)
    page.fill("#id_join_date", "2021-03-01")
    page.click("text=取下一个可用编号")
    page.wait_for_selector(".dn-message.error")
    assert page.eval_on_selector(".dn-message", "e => getComputedStyle(e).color") == RED


def test_entry_form_fits_a_phone(page):
    numbered_province()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "b2")
    open_form(page)
    page.fill("#id_join_date", "2019-05-04")
    page.click("text=取下一个可用编号")
    page.wait_for_function("document.getElementById('id_development_number').value !== ''")
    screenshot(page, "entry-form-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

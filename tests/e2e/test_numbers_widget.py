"""The development number widget's button fetches the next free number in a real browser."""

import pytest

from members.models import IssuedNumber
from members.widgets import DevelopmentNumberWidget
from tests.e2e.conftest import log_in
from tests.factories import numbered_province

pytestmark = pytest.mark.django_db(transaction=True)

ADD_FORM = """([html, organization]) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const form = document.createElement("form");
    form.innerHTML =
        `<input type="hidden" name="csrfmiddlewaretoken" value="${token}">` +
        `<select id="id_developing_organization"><option value="${organization}" selected>` +
        `</option></select><input id="id_join_date" value="2019-05-23">` + html;
    document.querySelector("main").appendChild(form);
}"""


def test_button_fills_in_the_next_free_number(page):
    """A member form holding the widget: B2's secretary takes K1's next free number twice."""
    p = numbered_province()
    log_in(page, "b2", password="pass-word-123")
    widget = DevelopmentNumberWidget().render("development_number", None, {"id": "id_dn"})
    page.evaluate(ADD_FORM, [str(widget), p.b2.pk])
    page.add_script_tag(url=f"{page.base_url}/static/members/development_number.js")
    page.click("text=取下一个可用编号")
    page.wait_for_function("document.getElementById('id_dn').value !== ''")
    assert page.input_value("#id_dn") == "201900010026"
    assert "已为本表单保留编号 201900010026" in page.inner_text(".dn-message")
    # A second click of the same form gets the same number back: nothing is used up.
    page.fill("#id_dn", "")
    page.click("text=取下一个可用编号")
    page.wait_for_function("document.getElementById('id_dn').value === '201900010026'")
    assert IssuedNumber.objects.filter(organization=p.b2).count() == 1


def test_button_shows_the_error_for_a_year_without_ranges(page):
    p = numbered_province()
    log_in(page, "b2", password="pass-word-123")
    widget = DevelopmentNumberWidget().render("development_number", None, {"id": "id_dn"})
    page.evaluate(ADD_FORM.replace("2019-05-23", "2021-03-01"), [str(widget), p.b2.pk])
    page.add_script_tag(url=f"{page.base_url}/static/members/development_number.js")
    page.click("text=取下一个可用编号")
    page.wait_for_selector(".dn-message.error")
    assert "2021年度" in page.inner_text(".dn-message")
    # The error reads red, unlike the success text.
    color = page.eval_on_selector(".dn-message", "e => getComputedStyle(e).color")
    assert color == "rgb(200, 16, 46)"
    assert page.input_value("#id_dn") == ""

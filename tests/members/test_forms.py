"""The member form: labels are the roster's columns, numbers are typed as 12 digits."""

import pytest
from django import forms
from django.utils import translation

from members.forms import MEMBER_FORM_FIELDS, DevelopmentNumberField, MemberForm
from members.tables import roster
from tests.factories import branch, province
from tests.members.conftest import entry_data

pytestmark = pytest.mark.django_db


def test_labels_are_the_roster_column_names():
    """The labels come from the model's verbose names, translated to the roster's headers."""
    with translation.override("zh-hans"):
        form = MemberForm()
        labels = {name: str(form.fields[name].label) for name in MEMBER_FORM_FIELDS}
    # The document type and the ethnicity note are the form's own: table 1-1 has no such column.
    assert labels.pop("document_type") == "证件类型"
    assert labels.pop("ethnicity_note") == "民族备注"
    expected = dict(roster.FIELD_HEADERS)
    # The roster names organisations by code too; the form picks them by name.
    expected["developing_organization"] = roster.DEVELOPER
    expected["branch"] = roster.BRANCH
    assert labels == expected
    assert list(labels.values()) == [
        "姓名",
        "性别",
        "民族",
        "出生日期",
        "公民身份号码",
        "学历",
        "身份类别",
        "入团时间",
        "发展团员编号",
        "发展团组织",
        "现所在团支部",
        "联系电话",
    ]


def test_entered_at_is_not_a_form_field():
    assert "entered_at" not in MemberForm.base_fields


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("201900010001", 201900010001),
        (" 2019 0001 0001 ", 201900010001),
        ("２０１９０００１０００１", 201900010001),
        ("", None),
    ],
)
def test_development_number_field_reads_twelve_digits(typed, value):
    assert DevelopmentNumberField().clean(typed) == value


@pytest.mark.parametrize("typed", ["20190001000", "2019000100011", "2019-0001-0001", "2.019E+11"])
def test_development_number_field_rejects_other_text(typed):
    with pytest.raises(forms.ValidationError) as caught:
        DevelopmentNumberField().clean(typed)
    assert caught.value.messages == ["发展团员编号必须是12位数字。"]


def test_development_number_field_renders_plain_text_and_takes_another_widget():
    field = DevelopmentNumberField()
    assert isinstance(field.widget, forms.TextInput)
    assert field.prepare_value(201900010001) == "201900010001"
    html = field.widget.render("development_number", field.prepare_value(201900010001))
    assert 'type="text"' in html and 'value="201900010001"' in html

    class NextFreeNumber(forms.TextInput):
        template_name = "django/forms/widgets/text.html"

    assert isinstance(DevelopmentNumberField(widget=NextFreeNumber).widget, NextFreeNumber)


def test_development_number_field_has_changed_compares_numbers():
    field = DevelopmentNumberField()
    assert not field.has_changed(201900010001, "201900010001")
    assert field.has_changed(201900010001, "201900010002")
    assert field.has_changed(None, "201900010002")
    assert not field.has_changed(None, "")


def test_form_shows_one_message_per_bad_field():
    """A field the form already rejected is not judged again by the model with a second,
    misleading message (such as "required" for a number that was merely mistyped)."""
    home = branch(province(code="P"), code="B1")
    data = entry_data(home, development_number="2019-1", id_number="")
    form = MemberForm(data=data)
    assert not form.is_valid()
    assert form.errors["development_number"] == ["发展团员编号必须是12位数字。"]
    assert form.errors["id_number"] == ["这个字段是必填项。"]


def test_form_normalises_an_id_number_typed_with_spaces():
    home = branch(province(code="P"), code="B1")
    number = entry_data(home)["id_number"]
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    form = MemberForm(data=entry_data(home, id_number=spaced))
    assert form.is_valid(), form.errors
    assert form.instance.id_number == number

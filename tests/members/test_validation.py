"""Every rule of the member record, checked by the model's own validation (as forms, imports
and services use it). Messages are Chinese: the suite runs in the default language."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from members.choices import DocumentType, Education, Ethnicity, Gender, Identity
from members.demo import fake_id_number
from members.id_numbers import check_character
from members.models import Member
from tests.factories import MemberFactory, branch, province

pytestmark = pytest.mark.django_db

BIRTH = date(2001, 3, 15)
ID_MALE = fake_id_number(BIRTH, Gender.MALE, region="350102", serial=7)


@pytest.fixture
def home(db):
    return branch(province(code="P"), code="B1", name="第一团支部")


def make(home, **overrides):
    """An unsaved, valid member who joined in 2019; ``overrides`` break one rule at a time."""
    values = {
        "name": "张晓明",
        "gender": Gender.MALE,
        "ethnicity": Ethnicity.HAN,
        "birth_date": BIRTH,
        "id_number": ID_MALE,
        "education": Education.UNDERGRADUATE,
        "identity": Identity.STUDENT,
        "join_date": date(2019, 5, 4),
        "development_number": 201900010001,
        "developing_organization": home,
        "branch": home,
        "phone": "13800138000",
        **overrides,
    }
    return Member(**values)


def errors_of(member):
    with pytest.raises(ValidationError) as caught:
        member.full_clean()
    return caught.value.error_dict


def messages(errors, field):
    return [message for error in errors[field] for message in error.messages]


def test_valid_member_passes(home):
    member = make(home)
    member.full_clean()
    member.save()
    assert member.name_initials == "zxm"


@pytest.mark.parametrize("number", [ID_MALE[:17], ID_MALE + "1", ""])
def test_id_number_must_have_18_characters(home, number):
    errors = errors_of(make(home, id_number=number))
    assert messages(errors, "id_number") == [f"公民身份号码应为18位（现为{len(number)}位）。"]


def test_id_number_checksum(home):
    wrong = ID_MALE[:17] + ("0" if ID_MALE[17] != "0" else "1")
    errors = errors_of(make(home, id_number=wrong))
    assert messages(errors, "id_number") == ["公民身份号码的校验位不对，请检查是否输错了数字。"]


def test_id_number_birth_date_must_match(home):
    errors = errors_of(make(home, birth_date=BIRTH + timedelta(days=1)))
    assert "出生日期与公民身份号码不一致" in messages(errors, "birth_date")[0]
    assert "2001-03-15" in messages(errors, "birth_date")[0]


def test_id_number_gender_must_match(home):
    errors = errors_of(make(home, gender=Gender.FEMALE))
    assert messages(errors, "gender") == ["性别与公民身份号码不一致。"]


def test_id_number_with_an_impossible_birth_date(home):
    body = "350102" + "20011345" + "001"
    errors = errors_of(make(home, id_number=body + check_character(body)))
    assert messages(errors, "id_number") == ["公民身份号码中的出生日期（20011345）不是真实的日期。"]


def _id_ending_in_x():
    for serial in range(500):
        number = fake_id_number(BIRTH, Gender.MALE, region="350102", serial=serial)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit among 500 serials")


def test_lowercase_x_is_normalised(home):
    number = _id_ending_in_x()
    member = make(home, id_number=number.lower())
    member.full_clean()
    member.save()
    member.refresh_from_db()
    assert member.id_number == number


def test_full_width_digits_and_spaces_follow_the_stated_rule(home):
    """Full-width digits become half-width and every space goes; nothing else is dropped."""
    full_width = ID_MALE.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    typed = f" {full_width[:6]}\u3000{full_width[6:14]} {full_width[14:]} "
    member = make(home, id_number=typed)
    member.full_clean()
    assert member.id_number == ID_MALE
    dashed = f"{ID_MALE[:6]}-{ID_MALE[6:]}"
    assert "公民身份号码应为18位（现为19位）。" in messages(
        errors_of(make(home, id_number=dashed)), "id_number"
    )
    letters = ID_MALE[:10] + "A" + ID_MALE[11:]
    assert messages(errors_of(make(home, id_number=letters)), "id_number") == [
        "公民身份号码只能由数字组成，仅最后一位可以是X。"
    ]


OLDER = date(1990, 3, 15)


@pytest.mark.parametrize(
    ("join_date", "number", "age"),
    [
        (date(2004, 3, 14), None, 13),  # the day before turning 14
        (date(2004, 3, 15), None, 14),
        (date(2019, 3, 14), 201900010001, 28),
        (date(2019, 3, 15), 201900010001, 29),
    ],
)
def test_age_on_the_join_date_is_14_to_28(home, join_date, number, age):
    member = make(
        home,
        birth_date=OLDER,
        id_number=fake_id_number(OLDER, Gender.MALE, serial=1),
        join_date=join_date,
        development_number=number,
    )
    if 14 <= age <= 28:
        member.full_clean()
    else:
        assert messages(errors_of(member), "join_date") == [
            f"入团年龄应在14至28周岁之间，该团员入团时为{age}周岁。"
        ]


def test_aged_out_member_keeps_their_record(home):
    """Age counts on the join date: a member who joined at 20 in 2019 stays valid at 40."""
    born = date(1999, 1, 10)
    member = make(
        home,
        birth_date=born,
        id_number=fake_id_number(born, Gender.MALE, serial=3),
        join_date=date(2019, 1, 12),
    )
    member.full_clean()
    member.save()
    member.phone = "0591-87517537"
    member.full_clean()
    member.save()
    assert Member.objects.get(pk=member.pk).phone == "0591-87517537"


def test_join_date_cannot_be_in_the_future(home):
    tomorrow = date.today() + timedelta(days=1)
    errors = errors_of(make(home, join_date=tomorrow, development_number=None))
    assert "入团时间不能晚于今天。" in messages(errors, "join_date")


def test_join_date_after_birth(home):
    errors = errors_of(make(home, join_date=BIRTH - timedelta(days=1), development_number=None))
    assert "入团时间必须晚于出生日期。" in messages(errors, "join_date")


@pytest.mark.parametrize(
    ("join_year", "number", "valid"),
    [
        (2019, 201900010001, True),
        (2019, 201800010001, False),  # wrong year prefix
        (2017, 201800010001, True),  # 2017 and 2018 are interchangeable
        (2018, 201700010001, True),
        (2018, 201900010001, False),
        (2019, 20190001000, False),  # 11 digits
    ],
)
def test_development_number_format_and_year(home, join_year, number, valid):
    member = make(home, join_date=date(join_year, 5, 4), development_number=number)
    if valid:
        member.full_clean()
    else:
        assert "development_number" in errors_of(member)


def test_development_number_required_from_2017(home):
    errors = errors_of(make(home, join_date=date(2017, 1, 1), development_number=None))
    assert "2017-01-01及以后入团的团员必须填写发展团员编号。" in messages(
        errors, "development_number"
    )
    make(home, join_date=date(2016, 12, 31), development_number=None).full_clean()


def test_id_number_and_development_number_are_unique(home):
    existing = make(home)
    existing.save()
    twin = make(home, id_number=existing.id_number)
    assert "系统中已有该公民身份号码的团员。" in messages(errors_of(twin), "id_number")
    other_id = fake_id_number(BIRTH, Gender.MALE, region="350102", serial=8)
    same_number = make(home, id_number=other_id)
    assert "编号已被使用，请联系上级团组织" in messages(
        errors_of(same_number), "development_number"
    )


def test_uniqueness_is_enforced_by_the_database(home):
    existing = MemberFactory(branch=home)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.bulk_create([make(home, id_number=existing.id_number)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.bulk_create([make(home, development_number=existing.development_number)])


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("13800138000", True),
        ("+86 138 0013 8000", True),
        ("0591-87517537", True),
        ("059187517537", True),
        ("87517537", False),  # a landline without its area code
        ("12800138000", False),
        ("1380013800", False),
    ],
)
def test_phone_is_a_mobile_or_a_landline_with_area_code(home, phone, valid):
    member = make(home, phone=phone)
    if valid:
        member.full_clean()
    else:
        assert "phone" in errors_of(member)


@pytest.mark.parametrize(
    ("field", "value"),
    [("ethnicity", "57"), ("gender", "X"), ("education", "kindergarten"), ("identity", "boss")],
)
def test_fixed_lists_reject_other_values(home, field, value):
    assert field in errors_of(make(home, **{field: value}))
    member = make(home, **{field: value})
    member.refresh_derived_fields()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.bulk_create([member])


def test_fixed_lists_carry_the_official_chinese_names():
    with translation.override("zh-hans"):
        ethnicities = [str(label) for label in Ethnicity.labels]
        education = {str(label) for label in Education.labels}
        identity = {str(label) for label in Identity.labels}
        genders = [str(label) for label in Gender.labels]
    # The 56 peoples, then GB/T 3304's 其他 and 外国血统中国籍人士.
    assert ethnicities[56:] == ["其他", "外国血统中国籍人士"]
    ethnicities = ethnicities[:56]
    assert len(set(ethnicities)) == 56
    assert all(name.endswith("族") for name in ethnicities)
    assert {"汉族", "蒙古族", "畲族", "朝鲜族", "俄罗斯族", "基诺族"} <= set(ethnicities)
    assert ethnicities[0] == "汉族" and ethnicities[-1] == "基诺族"
    assert {"初中", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生"} <= education
    assert {"学生", "企业员工", "机关事业单位人员", "农民", "自由职业者", "其他"} <= identity
    assert genders == ["男", "女"]


def test_branch_must_be_a_branch(home):
    root = province(code="P2")
    errors = errors_of(make(home, branch=root))
    assert "branch" in errors


def test_entered_at_is_not_editable_and_defaults_to_now(home):
    field = Member._meta.get_field("entered_at")
    assert field.editable is False
    member = make(home)
    member.save()
    assert abs((member.entered_at.date() - date.today()).days) <= 1


@pytest.mark.parametrize(
    ("region", "kind"),
    [
        ("810000", DocumentType.HONG_KONG_MACAO_PERMIT),
        ("830000", DocumentType.TAIWAN_PERMIT),
        ("411082", DocumentType.RESIDENT_ID),  # a county code younger than the member
    ],
)
def test_member_with_a_permit_or_a_historical_code_is_accepted(home, region, kind):
    """A permit's number records its document type; an old county code is no reason to refuse."""
    member = make(home, id_number=fake_id_number(BIRTH, Gender.MALE, region=region, serial=7))
    member.full_clean()
    member.save()
    assert member.document_type == kind


def test_member_with_another_document_skips_the_birth_date_check(home):
    member = make(home, document_type=DocumentType.OTHER, id_number="E12345678")
    member.full_clean()
    member.save()
    assert Member.objects.get(pk=member.pk).id_number == "E12345678"


def test_member_permit_still_checks_gender(home):
    number = fake_id_number(BIRTH, Gender.FEMALE, region="810000", serial=8)
    errors = errors_of(make(home, id_number=number))
    assert messages(errors, "gender") == ["性别与公民身份号码不一致。"]

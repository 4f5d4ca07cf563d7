"""Identity document numbers: every real number that GB 11643 allows is accepted, whatever its
county code, and anything else is refused with a ValidationError and nothing else."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from members import id_numbers
from members.choices import DocumentType, Gender

# Valid numbers from the public test suites of other validators.
STDNUM_VALID = [  # python-stdnum, tests/test_cn_ric.doctest
    "360426199101010071",
    "44011320141005001x",
    "412723199010050012",
    "110102199101010078",
    "120110198012010073",
    "120110199212010072",
    # stdnum refuses these two because of their county's dates; the county is no reason here.
    "110111198012010078",
    "110201199312010077",
]
ID_VALIDATOR_VALID = [  # guanguans/id-validator, id_validator_test.go
    "440308199901101512",
    "810000199408230021",
    "830000199201300022",
]
GB11643_VALID = [  # issue9/is, gb11643_test.go
    "350303199002033073",
    "331122197905116239",
    "513330199111066159",
    "33050219880702447x",
    "33050219880702447X",
]
IDNUMBERS_VALID = [  # idnumbers, tests/nationalid/test_CHN.py
    "11010219840406970X",
    "440524188001010014",
    "11010519491231002X",
]
INVALID = [
    "36042619910102009X",  # stdnum: check digit
    "360426199113010079",  # stdnum: month 13
    "T60426199101010078",  # stdnum: a letter
    "990426199112010074",  # stdnum: no such region
    "440308199901101513",  # id-validator: check digit
    "4403081999011015133",  # id-validator: 19 characters
    "810000199408230022",  # id-validator: a permit's check digit
    "830000199201300023",
    "111111111111111111",  # issue9/is
    "330502198807024471",
    "11010219840506970X",  # idnumbers
    "440524189001010014",
    "11020519491231002X",
]


def numbered(body):
    """A 17-digit body completed with its check character."""
    return body + id_numbers.check_character(body)


# Users' reports: county codes younger than their holders, or abolished since.
HISTORICAL = [
    numbered("41108219890304001"),  # 411082 created after 1989
    numbered("50010119950607002"),  # Chongqing's 50 before 1997
    numbered("35021219950101003"),  # 350212 before 1996
    numbered("41272319900101004"),  # 412723 abolished
]


@pytest.mark.parametrize(
    "number", STDNUM_VALID + ID_VALIDATOR_VALID + GB11643_VALID + IDNUMBERS_VALID + HISTORICAL
)
def test_validate_id_number_accepts_valid_numbers_of_other_suites(number):
    assert id_numbers.validate_id_number(number) == number.upper()


@pytest.mark.parametrize("number", INVALID)
def test_validate_id_number_refuses_invalid_numbers_of_other_suites(number):
    with pytest.raises(ValidationError):
        id_numbers.validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("810000199408230021", DocumentType.HONG_KONG_MACAO_PERMIT),
        (numbered("82000020010101002"), DocumentType.HONG_KONG_MACAO_PERMIT),
        ("830000199201300022", DocumentType.TAIWAN_PERMIT),
        (numbered("93115620000101001"), DocumentType.FOREIGN_PERMANENT_RESIDENCE),
        ("350303199002033073", DocumentType.RESIDENT_ID),
    ],
)
def test_infer_document_type_reads_the_first_digits(number, kind):
    assert id_numbers.infer_document_type(number) == kind
    assert id_numbers.validate_id_number(number, kind) == number


def test_validate_id_number_refuses_a_number_of_another_kind():
    """A resident card's number typed as a Taiwan permit's is refused, naming the document."""
    with pytest.raises(ValidationError) as caught:
        id_numbers.validate_id_number("350303199002033073", DocumentType.TAIWAN_PERMIT)
    assert caught.value.messages == ["号码开头（35）不符合台湾居民居住证号码的编码规则。"]


def test_validate_id_number_refuses_a_foreign_card_of_no_province():
    with pytest.raises(ValidationError):
        id_numbers.validate_id_number(numbered("99015620000101001"))


def test_validate_id_number_refuses_a_birth_date_in_the_future():
    number = numbered("35010220990101001")
    with pytest.raises(ValidationError) as caught:
        id_numbers.validate_id_number(number, today=date(2026, 1, 1))
    assert caught.value.messages == ["公民身份号码中的出生日期（2099-01-01）晚于今天。"]


def test_validate_id_number_names_a_first_generation_number():
    with pytest.raises(ValidationError) as caught:
        id_numbers.validate_id_number("350303900203307")
    assert "15位" in caught.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "3503\u200b03199002033073",  # a zero-width space pasted in
        "\ufeff350303199002033073",  # a byte-order mark
        "'350303199002033073",  # Excel's text marker
        "350303 19900203 3073",
        "３５０３０３１９９００２０３３０７３",
        "350303199002033073\u202c",  # a bidirectional mark
    ],
)
def test_normalize_id_number_removes_what_cannot_be_seen(typed):
    """Invisible characters are removed, not counted: the 18 visible characters pass."""
    assert id_numbers.validate_id_number(typed) == "350303199002033073"


def test_had_invisible_characters_reports_them():
    assert id_numbers.had_invisible_characters("3503\u200b03199002033073")
    assert not id_numbers.had_invisible_characters("350303199002033073")


@pytest.mark.parametrize("number", ["E12345678", "A123456(7)", "K1234567"])
def test_other_documents_are_checked_for_length_only(number):
    assert id_numbers.validate_id_number(number, DocumentType.OTHER) == number


@pytest.mark.parametrize("number", ["E12", "E1234567890123456789", "E1234#567"])
def test_other_documents_refuse_a_wrong_length_or_character(number):
    with pytest.raises(ValidationError):
        id_numbers.validate_id_number(number, DocumentType.OTHER)


def test_id_number_notes_name_a_county_code_not_in_use():
    assert id_numbers.id_number_notes("412723199010050012") == [
        "地区代码412723不在现行区划表中（可能已撤销或更名），号码仍予接受。"
    ]
    assert id_numbers.id_number_notes("350303199002033073") == []


def test_gender_and_birth_date_come_from_the_number():
    assert id_numbers.gender_of("350303199002033073") == Gender.MALE
    assert id_numbers.birth_date_of("350303199002033073") == date(1990, 2, 3)
    assert id_numbers.birth_date_of("350303199002303073") is None


_ID_LIKE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789Xx \u200b\u3000０１２３", min_size=10, max_size=22),
    st.builds(
        lambda body: body + id_numbers.check_character(body),
        st.from_regex(r"\d{17}", fullmatch=True),
    ),
)


@settings(max_examples=400, deadline=None)
@given(value=_ID_LIKE, kind=st.sampled_from([None, *DocumentType]))
def test_validate_id_number_raises_only_validation_errors(value, kind):
    """Whatever is typed or pasted, the answer is the number or a ValidationError."""
    try:
        number = id_numbers.validate_id_number(value, kind)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert number == id_numbers.normalize_id_number(value)
        assert isinstance(id_numbers.id_number_notes(number, kind), list)

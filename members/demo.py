"""Demo and test data for members: valid ID numbers and plausible people."""

from stdnum.cn import ric

from members.choices import Gender


def fake_id_number(birth_date, gender, *, region="350102", serial=1):
    """A valid 18-character ID number for ``birth_date`` and ``gender`` (serial 0-499)."""
    sequence = serial % 500 * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")

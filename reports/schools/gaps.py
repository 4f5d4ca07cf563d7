"""The gap arithmetic of the school reconciliation, shared by a school and a committee total."""

from decimal import Decimal

from django.conf import settings

#: The notice's "差距超过5%": a gap strictly above this ratio needs an explanation.
DEFAULT_GAP_THRESHOLD = Decimal("0.05")


def gap_threshold():
    """The gap ratio above which an explanation is due; ``YOUTHLEAGUE["SCHOOL_GAP_THRESHOLD"]``
    in the settings overrides the notice's 5%."""
    return Decimal(str(settings.YOUTHLEAGUE.get("SCHOOL_GAP_THRESHOLD", DEFAULT_GAP_THRESHOLD)))


def gap_ratio(league, education):
    """|league − education| / education, rounded like every ratio figure; None without a base."""
    if education is None or not education:
        return None
    return round(abs(league - education) / education, 4)


def over_threshold(league, education):
    """Whether a gap needs an explanation; a count of zero against league members does too."""
    if education is None:
        return False
    if education == 0:
        return league > 0
    # Exact arithmetic: 1 of 20 is 5% and not "above 5%".
    return abs(league - education) > gap_threshold() * education


def city_key(name):
    """A city's name compared loosely: 福州市, 福州 and ' 福州市 ' are the same city."""
    return "".join((name or "").split()).removeprefix("共青团").removesuffix("市")


class GapFigures:
    """The figures of a league count against an education count: ``league``, ``education`` and
    ``is_explained`` come from the class that mixes this in."""

    @property
    def ratio(self):
        return gap_ratio(self.league, self.education)

    @property
    def is_over_threshold(self):
        return over_threshold(self.league, self.education)

    @property
    def needs_explanation(self):
        return self.is_over_threshold and not self.is_explained

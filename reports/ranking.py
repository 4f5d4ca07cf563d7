"""Ranking organisations of one level on a campaign's figure, and the notice (通报) naming the
ones on the wrong side of its threshold."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min
from django.utils import timezone, translation

from branches.models import Organization
from reports.metrics import compute_level, figure
from reports.models import Direction


@dataclass(frozen=True)
class RankEntry:
    rank: int
    organization: Organization
    value: float | None
    figures: dict
    named: bool


#: how a notice names the organisations it ranks when they are not the campaign's ranked level
#: and are not all of one kind
CHILDREN_NOUN = "下级团组织"


@dataclass(frozen=True)
class Level:
    """What a ranking under ``root`` ranks: the organisations at ``depth`` below it, of ``kind``
    (None: of any kind), as the notice names them (``noun``)."""

    root: Organization
    depth: int
    kind: str | None
    noun: str

    @property
    def scope(self):
        """Where those named are lowest: 全省 under the province, else the organisation's name."""
        return "全省" if self.root.is_root() else self.root.short_name

    def organizations(self):
        found = Organization.objects.filter(path__startswith=self.root.path, depth=self.depth)
        return found.filter(kind=self.kind) if self.kind else found


def ranked_depth(campaign, root):
    """The shallowest depth strictly below ``root`` at which the campaign's ranked kind occurs."""
    return (
        Organization.objects.filter(
            path__startswith=root.path, depth__gt=root.depth, kind=campaign.ranked_kind
        )
        .aggregate(depth=Min("depth"))
        .get("depth")
    )


def ranked_level(campaign, root):
    """The campaign's ranked level under ``root`` or, when that level is not below ``root`` (a
    city reading a campaign that ranks cities), ``root``'s children: an organisation is never
    ranked against itself."""
    depth = ranked_depth(campaign, root)
    if depth is not None:
        return Level(root=root, depth=depth, kind=campaign.ranked_kind, noun=campaign.ranked_noun)
    kinds = set(Organization.objects.children_of(root).values_list("kind", flat=True))
    noun = CHILDREN_NOUN
    if len(kinds) == 1:
        with translation.override("zh-hans"):
            noun = str(Organization.Kind(kinds.pop()).label)
    return Level(root=root, depth=root.depth + 1, kind=None, noun=noun)


def ranking(campaign, root=None, level=None):
    """Organisations of the ranked level under ``root`` (default: the province), worst first."""
    root = root or Organization.objects.get_first_root_node()
    if root is None or not campaign.metric:
        return []
    level = level or ranked_level(campaign, root)
    organizations = list(level.organizations())
    if not organizations:
        return []
    values = compute_level(root, level.depth, campaign)
    worst_first = campaign.direction == Direction.ABOVE

    def order(org):
        value = values[org.path][campaign.metric]
        if value is None:
            return (1, 0, org.path)
        return (0, -value if worst_first else value, org.path)

    ordered = sorted(organizations, key=order)
    return [
        RankEntry(
            rank=index,
            organization=org,
            value=values[org.path][campaign.metric],
            figures=values[org.path],
            named=campaign.is_named(values[org.path][campaign.metric]),
        )
        for index, org in enumerate(ordered, start=1)
    ]


def percent(value):
    """0.6 -> '60%', 0.4125 -> '41.3%'."""
    number = float(value) * 100
    return f"{number:.0f}%" if abs(number - round(number)) < 1e-9 else f"{number:.1f}%"


def chinese_date(day: date, year=None):
    """5月22日, with the year in front when it is not ``year`` (the campaign's)."""
    if year is not None and day.year != year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


def draft_notice(campaign, entries, as_of=None, level=None):
    """The paragraph naming the organisations on the wrong side of the threshold.

    Official document text: always Simplified Chinese, whatever the interface language, in the
    style of the 2019 notice ("截至5月22日，福州市、三明市……等3个设区市录入比例低于60%……").
    ``level`` (:func:`ranked_level`) names what was ranked and where; by default the
    campaign's level across the province. With nothing ranked there is no paragraph ("").
    """
    if not entries:
        return ""
    as_of = as_of or timezone.localdate()
    named = [entry for entry in entries if entry.named]
    noun = level.noun if level else campaign.ranked_noun
    scope = level.scope if level else "全省"
    threshold = percent(campaign.threshold)
    with translation.override("zh-hans"):
        label = str(figure(campaign.metric).label)
    below = campaign.direction == Direction.BELOW
    # The notice's own words: "录入比例低于60%", "数量差距超过5%".
    comparison = "低于" if below else "超过"
    if not named:
        reached = "均不低于" if below else "均未超过"
        return f"截至{chinese_date(as_of, campaign.year)}，全部{noun}{label}{reached}{threshold}。"
    names = "、".join(entry.organization.short_name for entry in named)
    figures = "，".join(f"{entry.organization.short_name}{percent(entry.value)}" for entry in named)
    count = len(named)
    if below:
        tail = f"处于{scope}最低，希望以上{count}个{noun}把握工作推进节奏，按时完成任务。"
    else:
        tail = f"请以上{count}个{noun}于{chinese_date(campaign.deadline)}前做出详细情况说明。"
    return (
        f"截至{chinese_date(as_of, campaign.year)}，{names}等{count}个{noun}{label}{comparison}{threshold}"
        f"（{figures}），{tail}"
    )

"""The demo's campaigns: the 2019 notice's four deadlines, a cadre records campaign in the
same style, and the university's forward."""

from datetime import date
from decimal import Decimal

from branches.models import Organization
from reports.models import Campaign, CampaignForward, Direction
from reports.services import campaign_save

NOTICE_CAMPAIGNS = [
    {
        "slug": "2019-graduation",
        "name": "学生班级团支部毕业时间填写",
        "deadline": date(2019, 5, 30),
        "metric": "graduation_fill_ratio",
        "threshold": Decimal("0.50"),
        "direction": Direction.BELOW,
    },
    {
        "slug": "2019-entry",
        "name": "新发展团员录入",
        "deadline": date(2019, 6, 15),
        "metric": "entry_ratio",
        "threshold": Decimal("0.60"),
        "direction": Direction.BELOW,
    },
    {
        "slug": "2019-schools",
        "name": "以教统核团统",
        "deadline": date(2019, 6, 15),
        "metric": "school_gap_ratio",
        "threshold": Decimal("0.05"),
        "direction": Direction.ABOVE,
        "description": "对照教育系统学生团员统计数据，逐个学校核实团员数量；差距超过5%须做出详细情况说明。",
    },
    {
        "slug": "2019-cadres",
        "name": "完善团干部信息",
        "deadline": date(2019, 6, 30),
        "metric": "cadre_complete_ratio",
        "threshold": Decimal("0.80"),
        "direction": Direction.BELOW,
        "description": "完善学校领域团组织和团干部信息：每个团组织录入书记，团干部联系电话、身份证号齐全。",
    },
    {
        "slug": "2019-summary",
        "name": "加盖公章汇总表上报",
        "deadline": date(2019, 6, 20),
        "metric": "",
        "threshold": None,
        "submission_tables": "roster,unused_numbers,school_counts",
    },
]


def build_campaigns(year=2019):
    """Create the notice's campaigns whose figures exist, and the university's forward."""
    from reports.metrics import rankable_choices
    from reports.tables.base import table_kinds

    known = {name for name, _label in rankable_choices()}
    tables = set(table_kinds())
    created = []
    for spec in NOTICE_CAMPAIGNS:
        if spec["metric"] and spec["metric"] not in known:
            continue
        spec = dict(spec)
        if spec.get("submission_tables"):
            wanted = spec["submission_tables"].split(",")
            spec["submission_tables"] = ",".join(kind for kind in wanted if kind in tables)
        # Saved as the admin saves them: their deadline snapshots are scheduled too.
        created.append(campaign_save(campaign=Campaign(year=year, **spec)))
    university = Organization.objects.filter(code="XMU").first()
    entry = Campaign.objects.filter(slug="2019-entry").first()
    if university and entry:
        CampaignForward.objects.create(
            campaign=entry,
            organization=university,
            internal_deadline=date(2019, 6, 10),
            contact_person="王心君",
            contact_phone="2182276",
            instructions="组织2017年以来新发展团员到所在团支部报到，确保全部录入“智慧团建”系统。",
        )
    return created


def build_issuers():
    """Seals and contacts for the demo's cities, the province and the university."""
    from django.core.files.base import ContentFile

    from reports.models import Issuer
    from reports.submissions.seals import draw_seal

    organizations = Organization.objects.filter(
        kind__in=[Organization.Kind.PROVINCE, Organization.Kind.CITY]
    ) | Organization.objects.filter(code="XMU")
    for index, organization in enumerate(organizations.order_by("path")):
        issuer = Issuer(
            organization=organization,
            contact_person="黄毅婷"
            if organization.depth == 1
            else organization.short_name + "团委组织部",
            contact_phone=f"0591-875{17537 + index:05d}"[:13],
        )
        issuer.seal.save(
            f"seal-{organization.code}.png", ContentFile(draw_seal(organization.name)), save=False
        )
        issuer.save()


def build_approval(campaign_slug="2019-summary"):
    """Approval up the tree in the summary campaign, for the demo logins to see: the first
    school is accepted by 鼓楼区 and a member of it changed afterwards; 鼓楼区 sends with an
    override over its schools not yet accepted; the university's acceptance is reopened. The
    steps notify the committees concerned, so their logins find unread notifications."""
    from django.contrib.auth import get_user_model

    from branches.models import OrganizationAccess, Role
    from members.models import Member
    from members.services import member_update
    from reports.submissions.approval import submission_reopen
    from reports.submissions.services import (
        parent_of,
        submission_accept,
        submission_create,
    )

    campaign = Campaign.objects.filter(slug=campaign_slug).exclude(submission_tables="").first()
    if campaign is None:
        return []
    users = get_user_model().objects

    def committee_of(organization):
        grant = (
            OrganizationAccess.objects.filter(
                organization=organization, role__in=(Role.COMMITTEE, Role.PROVINCE)
            )
            .select_related("user")
            .first()
        )
        # A level without a login of its own is reviewed by provincial staff.
        return grant.user if grant else users.get(username="province")

    def submitted(code, username, **extra):
        organization = Organization.objects.get(code=code)
        return submission_create(
            campaign=campaign, organization=organization, user=users.get(username=username), **extra
        )

    def accepted(submission):
        reviewer = committee_of(parent_of(submission.organization))
        return submission_accept(submission=submission, user=reviewer)

    school = accepted(submitted("350102-S1", "school"))
    first, last = campaign.number_years
    changed = (
        Member.objects.in_league()
        .in_subtree(school.organization)
        .filter(join_date__year__gte=first, join_date__year__lte=last)
        .order_by("pk")
        .first()
    )
    if changed is not None:
        member_update(member=changed, phone="13905910000")
    county = submitted(
        "350102", "gulou", override_reason="其余学校团委尚未上报，先行上报已接收的部分。"
    )
    university = accepted(
        submitted("XMU", "xmu", override_reason="各学院团委数据已由校团委统一核对后上报。")
    )
    reopened = submission_reopen(
        submission=university,
        user=committee_of(parent_of(university.organization)),
        reason="学院团委人数与名册不符，请核对后重新上报。",
    )
    return [school, county, reopened]

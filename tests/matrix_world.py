"""A small province for the permission matrix: one object of every model in three places.

    P (province)
    ├── C (city) ── K (county) ── B (branch: the secretary's)
    │           └── S (school committee) ── CB (class branch)
    └── C2 (other city) ── K2 (county) ── F (branch), FCB (class branch)

Every organisation-bound model gets an object at an organisation inside each role's subtree and
one outside it (under C2). Each object is recorded as a :class:`Placed` with the organisation
that decides who may see it, so the matrix can tell in-scope from out-of-scope objects by a rule
written here, independently of :mod:`branches.access`. Models without an organisation (campaigns,
snapshots, log rows of the login throttle, task results, groups) are placed with ``owner=None``:
they are global, and only a role's right to the whole page decides.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from branches.models import Organization, Role
from members.models import LookupLog
from members.models.moves import Reason
from members.moves.services import move_create
from reports.models import (
    BranchRegistration,
    Campaign,
    CampaignForward,
    CampaignKind,
    EducationCount,
    Explanation,
    ExportJob,
    ExportLog,
    Issuer,
    MemberRegistration,
    Snapshot,
)
from reports.models.exports import Channel
from reports.registration import services as registration
from reports.submissions.services import submission_create
from spreadsheets.models import ImportJob
from tests import factories

ROLES = ["anonymous", "secretary", "county", "city", "school", "province"]


@dataclass
class Placed:
    """An object of the world and the organisation deciding its visibility (None: global)."""

    obj: object
    owner: Organization | None
    #: who may see it when that is not decided by an organisation: ``rule(world, role, obj)``
    rule: object = None


@dataclass
class World:
    orgs: dict
    users: dict
    #: model class -> list of Placed
    objects: dict = field(default_factory=dict)
    campaign: Campaign | None = None

    def place(self, obj, owner, rule=None):
        self.objects.setdefault(type(obj), []).append(Placed(obj, owner, rule))
        return obj

    def visible(self, role, placed):
        """Whether ``role`` may see the placed object (True for global objects)."""
        if placed.rule is not None:
            return placed.rule(self, role, placed.obj)
        if placed.owner is None:
            return True
        return self.sees(role, placed.owner)

    def role_org(self, role):
        return {
            "secretary": self.orgs["B"],
            "county": self.orgs["K"],
            "city": self.orgs["C"],
            "school": self.orgs["S"],
            "province": self.orgs["P"],
        }.get(role)

    def sees(self, role, organization):
        """The scope rule, written out for the test: a secretary sees their branch, a
        committee its subtree, the province everything, the anonymous nothing."""
        if role == "province":
            return True
        if role == "anonymous" or organization is None:
            return False
        home = self.role_org(role)
        if role == "secretary":
            return organization.pk == home.pk
        return organization.path.startswith(home.path)

    def placed(self, obj):
        for item in self.objects.get(type(obj), []):
            if item.obj.pk == obj.pk:
                return item
        return None


def _orgs():
    kind, sector = Organization.Kind, Organization.Sector
    p = factories.province(code="MP", name="矩阵省团委")
    c = factories.committee(p, code="MC", name="矩阵甲市团委")
    k = factories.committee(c, kind=kind.COUNTY, code="MK", name="矩阵甲县团委")
    b = factories.branch(k, code="MB", name="矩阵甲县团支部")
    s = factories.committee(
        c,
        kind=kind.GRASSROOTS,
        code="MS",
        name="矩阵甲市一中团委",
        sector=sector.SCHOOL,
        school_code="3135000001",
        ownership=Organization.Ownership.PUBLIC,
    )
    cb = factories.class_branch(
        s, code="MCB", name="矩阵高三1班团支部", graduation_date=date(2019, 6, 30)
    )
    c2 = factories.committee(p, code="MC2", name="矩阵乙市团委")
    k2 = factories.committee(c2, kind=kind.COUNTY, code="MK2", name="矩阵乙县团委")
    f = factories.branch(k2, code="MF", name="矩阵乙县团支部")
    fs = factories.committee(
        k2,
        kind=kind.GRASSROOTS,
        code="MFS",
        name="矩阵乙县一中团委",
        sector=sector.SCHOOL,
        school_code="3135000002",
        ownership=Organization.Ownership.PRIVATE,
    )
    fcb = factories.class_branch(
        fs, code="MFCB", name="矩阵乙县高三1班团支部", graduation_date=date(2019, 6, 30)
    )
    return {"P": p, "C": c, "K": k, "B": b, "S": s, "CB": cb, "C2": c2, "K2": k2, "F": f}, {
        "FS": fs,
        "FCB": fcb,
    }


def _own_job(world, role, job):
    """A background export belongs to the user who started it, whatever their role."""
    user = world.users.get(role)
    return user is not None and job.user_id == user.pk


def build_world():
    """Build the world; every model registered in the admin gets objects."""
    orgs, extra = _orgs()
    users = {
        "secretary": factories.user_with_role(orgs["B"], Role.SECRETARY, username="m-sec"),
        "county": factories.user_with_role(orgs["K"], Role.COMMITTEE, username="m-county"),
        "city": factories.user_with_role(orgs["C"], Role.COMMITTEE, username="m-city"),
        "school": factories.user_with_role(orgs["S"], Role.COMMITTEE, username="m-school"),
        "province": factories.user_with_role(orgs["P"], Role.PROVINCE, username="m-prov"),
        "anonymous": None,
    }
    world = World(orgs={**orgs, **extra}, users=users)
    for org in world.orgs.values():
        world.place(org, org)
    # accounts, placed at their organisation; the role users themselves included
    for role, user in users.items():
        if user is not None:
            world.place(user, world.role_org(role))
    world.place(
        factories.user_with_role(orgs["F"], Role.SECRETARY, username="m-foreign"), orgs["F"]
    )
    world.place(
        factories.user_with_role(extra["FCB"], Role.SECRETARY, username="m-foreign-class"),
        extra["FCB"],
    )

    # branch-level records: one at the secretary's branch, one at the school's class branch,
    # one in the other city
    holders = [orgs["B"], orgs["CB"], orgs["F"], extra["FCB"]]
    for index, holder in enumerate(holders):
        base = 201900010001 + index * 1000
        number_range = world.place(
            factories.NumberRangeFactory(organization=holder, first=base, last=base + 99), holder
        )
        world.place(
            factories.UnusedNumberFactory(number_range=number_range, first=base + 50), holder
        )
        world.place(
            factories.IssuedNumberFactory(number_range=number_range, number=base + 60), holder
        )
        member = world.place(factories.new_member(holder, base), holder)
        mover = world.place(factories.new_member(holder, base + 1), holder)
        world.place(
            move_create(
                member=mover,
                reason=Reason.FURTHER_STUDY,
                moved_on=date(2019, 7, 1),
                destination_county_code="350128",
                destination_township="潭城镇",
            ),
            holder,
        )
        world.place(
            ExportLog.objects.create(
                user=users["province"],
                kind="roster",
                organization=holder,
                organization_code=holder.code,
                rows=1,
                channel=Channel.WEB,
            ),
            holder,
        )
        del member

    # committee-level records
    committees = [orgs["K"], orgs["S"], orgs["K2"], extra["FS"]]
    campaign = Campaign.objects.create(
        slug="matrix-entry",
        name="新发展团员录入",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=30),
        metric="entry_ratio",
        threshold="0.6",
        submission_tables="roster",
    )
    world.campaign = world.place(campaign, None)
    world.place(Snapshot.objects.create(campaign=campaign, taken_on=date(2019, 6, 15)), None)
    committee_users = {
        orgs["K"]: users["county"],
        orgs["S"]: users["school"],
        orgs["K2"]: factories.user_with_role(orgs["K2"], Role.COMMITTEE, username="m-county2"),
        extra["FS"]: factories.user_with_role(extra["FS"], Role.COMMITTEE, username="m-school2"),
    }
    for committee in (orgs["K2"], extra["FS"]):
        world.place(committee_users[committee], committee)
    for committee in committees:
        world.place(
            CampaignForward.objects.create(
                campaign=campaign,
                organization=committee,
                internal_deadline=campaign.deadline - timedelta(days=5),
                forwarded_by=committee_users[committee],
            ),
            committee,
        )
        world.place(Issuer.objects.create(organization=committee, contact_person="张三"), committee)
        world.place(
            Explanation.objects.create(
                year=2019,
                subject=Explanation.Subject.COMMITTEE,
                organization=committee,
                text="差距说明",
                written_by=committee_users[committee],
            ),
            committee,
        )
        submission = submission_create(
            campaign=campaign,
            organization=committee,
            user=committee_users[committee],
            override_reason="下级尚未全部接收，先行上报",
        )
        world.place(submission, committee)
        for stored in submission.files.all():
            world.place(stored, committee)
        job = ExportJob(
            user=committee_users[committee],
            kind="roster",
            organization=committee,
            status=ExportJob.Status.DONE,
        )
        job.file.save("matrix.xlsx", ContentFile(b"PK matrix"), save=False)
        job.save()
        world.place(
            job,
            committee,
            rule=_own_job,
        )
    for school in (orgs["S"], extra["FS"]):
        world.place(
            EducationCount.objects.create(
                year=2019,
                school_code=school.school_code,
                school_name=school.name,
                ownership=school.ownership,
                city_name="甲市",
                education_count=10,
            ),
            school,
        )

    # background imports: each belongs to the user who uploaded the file
    for role in ("secretary", "city", "province"):
        world.place(
            ImportJob.objects.create(
                user=users[role],
                title="导入新发展团员名册",
                origin=["members.importing.ROSTER_IMPORT", {}],
            ),
            None,
            rule=_own_job,
        )

    # a registration year: each branch's results recorded and submitted, B's certified
    year = world.place(
        Campaign.objects.create(
            slug="matrix-registration",
            name="团籍注册",
            kind=CampaignKind.REGISTRATION,
            year=2024,
            deadline=timezone.localdate() + timedelta(days=60),
            metric="registration_ratio",
            threshold="0.9",
        ),
        None,
    )
    for holder in holders:
        registration_entries = [
            {"member": m, "result": "registered", "reason": "", "grade": "qualified"}
            for m in registration.members_to_register(holder)
        ]
        registration.registrations_save(
            campaign=year, branch=holder, user=users["province"], entries=registration_entries
        )
        for record in MemberRegistration.objects.filter(campaign=year, branch=holder):
            world.place(record, holder)
        submitted = registration.branch_registration_submit(
            campaign=year, branch=holder, user=users["province"]
        )
        world.place(submitted, holder)
    registration.branch_registration_certify(
        registration=world.objects[BranchRegistration][0].obj, user=users["county"]
    )

    # cadres: one in post in a committee and a branch of each city
    for code in ("K", "B", "S", "K2", "F"):
        world.place(factories.CadreFactory(organization=orgs[code]), orgs[code])

    # global rows: the login throttle's logs, task results, groups, the look-up log
    now = timezone.now()
    world.place(Group.objects.create(name="矩阵组"), None)
    for role in ("city", "province"):
        world.place(
            LookupLog.objects.create(
                user=users[role], username=users[role].username, scope_code="", lines=1
            ),
            None,
        )
    world.place(
        AccessAttempt.objects.create(
            username="someone", ip_address="127.0.0.1", user_agent="test", failures_since_start=1
        ),
        None,
    )
    world.place(
        AccessLog.objects.create(username="m-city", ip_address="127.0.0.1", user_agent="test"),
        None,
    )
    world.place(
        AccessFailureLog.objects.create(
            username="someone", ip_address="127.0.0.1", user_agent="test"
        ),
        None,
    )
    world.place(
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="reports.tasks.run_export_job",
            backend_name="default",
            run_after=now,
            exception_class_path="",
            traceback="",
        ),
        None,
    )
    return world

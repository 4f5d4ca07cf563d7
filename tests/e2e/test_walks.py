"""Each role walks its main jobs in the demo province at 1366×900 and on a 390×844 phone.

Every page passes :func:`tests.e2e.walks.check_page` (screenshot, no overflowing table, no
English on a Chinese page). The walks click through the desk as people do, so that every
committee job is found within two clicks of it.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from branches.demo import DEMO_PASSWORD
from branches.models import Organization
from members.models import Member
from tests import factories
from tests.e2e.walks import SIZES, check_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--members", "150", stdout=io.StringIO())
    # The secretary's class branch gets members of its own, so that their list has rows.
    secretary_branch = Organization.objects.get(code="XMU-INF-C1")
    # Their numbers come after every demo number of the year, whatever the factory's sequence.
    for serial in range(6):
        factories.MemberFactory(
            branch=secretary_branch,
            developing_organization=secretary_branch,
            join_date=date(2021, 5, 4 + serial),
            development_number=int(f"20219{serial:07d}"),
        )
    return live_server.url


class Walk:
    def __init__(self, browser, base_url, username, walk, size, password=DEMO_PASSWORD):
        self.context = browser.new_context(locale="zh-CN", viewport=SIZES[size])
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.username = username
        self.walk = walk
        self.size = size
        self.page.goto(f"{base_url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base_url}/")

    def check(self, name):
        check_page(self.page, name, walk=self.walk, size=self.size, username=self.username)

    def visit(self, path, name):
        response = self.page.goto(f"{self.base_url}{path}")
        assert response.status == 200, f"{path}: {response.status}"
        self.check(name)

    def follow(self, selector, name):
        """Click a link as a person would (from the page one is on) and check where it leads."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check(name)

    def close(self):
        self.context.close()


def walk_all_sizes(browser, demo, username, steps):
    for size in SIZES:
        walk = Walk(browser, demo, username, username, size)
        try:
            walk.check("desk")
            steps(walk)
        finally:
            walk.close()


def test_secretary_walk(browser, demo):
    def steps(walk):
        walk.follow("a.card[href='/dashboard/']", "my-branch")
        walk.visit("/", "desk-again")
        walk.visit("/admin/members/member/add/", "member-form")
        walk.visit("/admin/members/member/", "member-list")
        walk.visit("/reports/todo/", "todo")
        walk.visit("/reports/notifications/", "notifications")
        walk.visit("/reports/registration/branch/XMU-INF-C1/", "registration-bulk")
        member = Member.objects.filter(branch__code="XMU-INF-C1").first()
        walk.visit(f"/members/{member.pk}/", "member-detail")

    walk_all_sizes(browser, demo, "secretary", steps)


def test_county_committee_walk(browser, demo):
    def steps(walk):
        walk.follow("#job-numbers h2 a", "ledger")
        walk.visit("/", "desk")
        walk.follow("#job-arrivals h2 a", "inbox")
        walk.visit("/reports/todo/", "todo")
        walk.visit("/reports/notifications/", "notifications")
        walk.visit("/reports/submissions/", "submissions")
        walk.visit("/reports/registration/", "registration")
        walk.visit("/moves/", "follow-up")
        walk.visit("/moves/new/", "move-new")
        walk.visit("/tree/", "tree")
        walk.page.click("#org-tree details summary >> nth=0")
        walk.page.wait_for_selector("#org-tree details[open] ul")
        walk.check("tree-open")
        walk.visit("/dashboard/", "dashboard")
        walk.visit("/cadres/", "cadres")
        walk.visit("/members/ledger/", "ledger-again")
        walk.follow("a.register >> nth=0", "register-pre-filled")
        assert walk.page.input_value("#id_first").isdigit()
        walk.visit("/admin/members/numberrange/add/", "range-form")
        # The holder is picked by a scoped autocomplete, never a drop-down of the tree.
        walk.page.click(".select2-selection")
        walk.page.fill(".select2-search__field", "鼓楼")
        walk.page.wait_for_selector(".select2-results__option:not(.loading-results)")
        walk.check("range-form-autocomplete")

    walk_all_sizes(browser, demo, "gulou", steps)


def test_city_committee_walk(browser, demo):
    def steps(walk):
        walk.follow("#job-gaps h2 a", "schools")
        walk.visit("/dashboard/", "dashboard")
        walk.visit("/dashboard/?groups=entries&groups=ledger", "dashboard-two-groups")
        walk.visit("/members/lookup/", "lookup")
        walk.visit("/reports/submissions/", "submissions")
        walk.visit("/moves/", "follow-up")
        walk.visit("/reports/todo/", "todo")
        walk.visit("/reports/breakdown/", "breakdown")
        walk.visit("/reports/statistics/", "statistics")
        walk.visit("/reports/statistics/declines/", "statistics-declines")

    walk_all_sizes(browser, demo, "fuzhou", steps)


def test_school_committee_walk(browser, demo):
    def steps(walk):
        walk.visit("/dashboard/", "dashboard")
        walk.visit("/moves/graduation/", "graduation-dates")
        walk.visit("/moves/graduates/", "graduates")
        walk.visit("/members/ledger/", "ledger")
        walk.visit("/reports/todo/", "todo")
        walk.visit("/reports/submissions/", "submissions")

    walk_all_sizes(browser, demo, "school", steps)


def test_province_walk(browser, demo):
    def steps(walk):
        walk.visit("/dashboard/", "dashboard")
        walk.visit("/tree/?q=%E9%AB%98%E4%B8%89", "tree-search")
        walk.visit("/reports/schools/", "schools")
        walk.visit("/members/reaching-28/", "reaching-28")
        walk.visit("/reports/statistics/", "statistics")
        walk.visit("/reports/breakdown/", "breakdown")
        walk.visit("/reports/statistics/declines/", "statistics-declines")
        walk.visit("/reports/registration/", "registration")
        walk.visit("/reports/submissions/", "submissions")
        walk.visit("/reports/todo/", "todo")
        walk.visit("/", "desk-again")
        walk.follow("#education-import-link", "education-import")

    walk_all_sizes(browser, demo, "province", steps)

"""A branch secretary uploads 智慧团建's .xls with one bad row, downloads the error report,
corrects the row in it and uploads the report: the whole file is imported."""

import openpyxl
import pytest

from members.models import Member
from tests.e2e.conftest import log_in
from tests.members.conftest import valid_id
from tests.xlsx import write_xls

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "学历",
    "职业",
    "入团时间",
    "团员编号",
    "手机号码",
    "政治面貌",
]


def row(serial, **changes):
    values = {
        "姓名": f"团员{serial}",
        "性别": "男",
        "民族": "汉",
        "出生日期": "2001-03-15",
        "身份证号": valid_id(serial),
        "学历": "本科在读",
        "职业": "学生",
        "入团时间": "2019-05-04",
        "团员编号": f"2019{serial:08d}",
        "手机号码": "139-0591-0002",
        "政治面貌": "共青团员",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def test_secretary_fixes_a_row_through_the_error_report(page, small_province, tmp_path):
    upload = write_xls(
        tmp_path / "团员.xls", HEADER, [row(1), row(2, 入团时间="2019-05"), row(3)], title=None
    )
    log_in(page, "sec")
    page.goto(f"{page.base_url}/admin/members/member/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("input[type=submit][value='检查文件']")
    page.wait_for_load_state("networkidle")
    assert "已忽略的列：政治面貌" in page.content()
    errors = page.locator(".import-errors tbody tr")
    assert errors.count() == 1 and "只有年和月" in errors.first.inner_text()

    with page.expect_download() as caught:
        page.click("a.error-report")
    report = tmp_path / "errors.xlsx"
    caught.value.save_as(report)
    workbook = openpyxl.load_workbook(report)
    sheet = workbook.active
    header = [c.value for c in sheet[2]]
    assert header[-1] == "错误原因" and sheet.max_row == 5  # title, header, three rows
    assert sheet.cell(3, len(header)).value is None
    assert "只有年和月" in sheet.cell(4, len(header)).value
    sheet.cell(4, header.index("入团时间") + 1).value = "2019-05-04"
    workbook.save(report)

    page.set_input_files("input[type=file]", str(report))
    page.click("input[type=submit][value='检查文件']")
    page.wait_for_load_state("networkidle")
    page.click("input[name=confirm]")
    page.wait_for_url("**/admin/members/member/")
    assert set(Member.objects.values_list("id_number", flat=True)) == {
        valid_id(1),
        valid_id(2),
        valid_id(3),
    }
    assert set(Member.objects.values_list("branch", flat=True)) == {small_province.branch.pk}

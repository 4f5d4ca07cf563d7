"""Stamped tables verify while unchanged and fail when data, rows or the issuer change."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports.models import ExportLog, Issuer
from reports.submissions.exporting import export_write
from reports.submissions.seals import draw_seal
from reports.submissions.stamping import Signer, canonical, signing_keys
from reports.submissions.verifying import verify_workbook
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stamped(tmp_path, scripted_province, people_table):
    path = tmp_path / "stamped.xlsx"
    result = export_write(
        table=people_table, organization=scripted_province.c1, target=path, stamp=True
    )
    return path, result


def edit(path, cell, value, out):
    workbook = openpyxl.load_workbook(path)
    workbook.active[cell] = value
    workbook.save(out)
    return out


def test_unchanged_file_verifies(stamped):
    path, result = stamped
    assert result.rows == 7
    verdict = verify_workbook(path)
    assert verdict.ok, verdict.reason
    assert verdict.issuer == "共青团甲市委员会"
    assert verdict.issuer_code == "C1"
    assert verdict.issued_on == timezone.localdate().isoformat()
    assert result.code.startswith("test1-")


def test_a_changed_name_fails(stamped, tmp_path):
    path, _ = stamped
    changed = edit(path, "B3", "改了名字", tmp_path / "changed.xlsx")
    verdict = verify_workbook(changed)
    assert not verdict.ok
    assert verdict.issuer == "共青团甲市委员会"  # still says who claims to have issued it


def test_a_removed_row_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    workbook.active.delete_rows(4)
    workbook.save(tmp_path / "removed.xlsx")
    assert not verify_workbook(tmp_path / "removed.xlsx").ok


def test_a_changed_issuer_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows() if r[0].value == "填报单位（盖章）")
    row[1].value = "共青团乙市委员会"
    workbook.save(tmp_path / "issuer.xlsx")
    verdict = verify_workbook(tmp_path / "issuer.xlsx")
    assert not verdict.ok and verdict.issuer == "共青团乙市委员会"


def test_a_changed_date_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    row = next(r for r in workbook.active.iter_rows() if r[0].value == "填报日期")
    row[1].value = "2019-06-19"
    workbook.save(tmp_path / "date.xlsx")
    assert not verify_workbook(tmp_path / "date.xlsx").ok


def test_saving_in_a_spreadsheet_program_without_changes_still_verifies(stamped, tmp_path):
    """openpyxl rewrites every cell; types and values survive, so the code still holds."""
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    workbook.save(tmp_path / "resaved.xlsx")
    assert verify_workbook(tmp_path / "resaved.xlsx").ok


def test_unstamped_and_broken_files_fail(tmp_path, scripted_province, people_table):
    plain = tmp_path / "plain.xlsx"
    export_write(table=people_table, organization=scripted_province.c1, target=plain)
    assert (
        "no verification code" in verify_workbook(plain).reason
        or "验证码" in verify_workbook(plain).reason
    )
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert not verify_workbook(junk).ok


def test_key_rotation_keeps_old_tables_valid(stamped, settings):
    path, result = stamped
    settings.REPORT_SIGNING_KEYS = "test2:a-new-key-for-2027,test1:tests-only-report-signing-key"
    assert verify_workbook(path).ok
    assert Signer().kid == "test2"
    settings.REPORT_SIGNING_KEYS = "test2:a-new-key-for-2027"
    assert not verify_workbook(path).ok


def test_signing_key_is_not_the_secret_key(settings):
    settings.REPORT_SIGNING_KEYS = f"k:{settings.SECRET_KEY}"
    with pytest.raises(ImproperlyConfigured):
        signing_keys()


def test_canonical_forms_agree_between_python_and_the_file():
    from datetime import datetime

    assert canonical(2) == canonical(2.0) == "2"
    assert canonical(date(2019, 5, 1)) == canonical(datetime(2019, 5, 1)) == "2019-05-01"
    assert canonical(datetime(2019, 5, 1, 10, 29, 59, 999000)) == "2019-05-01 10:30"
    assert canonical("_x000D_x") == "\rx"
    assert canonical(None) == canonical("") == ""


def test_the_seal_sits_in_the_stamped_file(tmp_path, scripted_province, people_table):
    Issuer.objects.create(
        organization=scripted_province.c1, contact_person="张三", contact_phone="0591-87517537"
    )
    issuer = Issuer.objects.get()
    from django.core.files.base import ContentFile

    issuer.seal.save("seal.png", ContentFile(draw_seal("共青团甲市委员会")))
    path = tmp_path / "sealed.xlsx"
    export_write(table=people_table, organization=scripted_province.c1, target=path, stamp=True)
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("xl/media/") for name in archive.namelist())
    sheet = openpyxl.load_workbook(path).active
    footer = {
        row[0].value: row[1].value
        for row in sheet.iter_rows()
        if row[0].value in ("联系人", "联系电话")
    }
    assert footer == {"联系人": "张三", "联系电话": "0591-87517537"}
    assert verify_workbook(path).ok


@pytest.mark.parametrize(
    ("content", "ok"),
    [
        (draw_seal("测试", size=300), True),
        (draw_seal("测试", size=60), False),
        (b"GIF89a" + b"\0" * 100, False),
    ],
)
def test_seal_upload_is_checked(content, ok, scripted_province):
    issuer = Issuer(organization=scripted_province.c1, seal=SimpleUploadedFile("seal.png", content))
    if ok:
        issuer.full_clean()
    else:
        with pytest.raises(ValidationError):
            issuer.full_clean()


def test_export_and_verify_commands(tmp_path, scripted_province, people_table):
    path = tmp_path / "cmd.xlsx"
    out = io.StringIO()
    call_command(
        "export_report", "test_people", "--org", "C1", "--out", str(path), "--stamp", stdout=out
    )
    assert "test1-" in out.getvalue()
    verified = io.StringIO()
    call_command("verify_report", str(path), stdout=verified)
    assert "共青团甲市委员会" in verified.getvalue()
    assert timezone.localdate().isoformat() in verified.getvalue()
    changed = edit(path, "B4", "别人", tmp_path / "changed.xlsx")
    with pytest.raises(CommandError) as failure:
        call_command("verify_report", str(changed), stdout=io.StringIO())
    assert failure.value.returncode == 1
    log = ExportLog.objects.get(channel="command")
    assert (log.kind, log.organization_code, log.rows, log.stamped) == (
        "test_people",
        "C1",
        7,
        True,
    )


def test_stamping_only_as_ones_own_organisation(tmp_path, scripted_province, people_table):
    factories.user_with_role(scripted_province.c1, Role.COMMITTEE, username="cityuser")
    with pytest.raises(CommandError):
        call_command(
            "export_report",
            "test_people",
            "--org",
            "K1",
            "--out",
            str(tmp_path / "x.xlsx"),
            "--stamp",
            "--as",
            "cityuser",
            stdout=io.StringIO(),
        )


def test_verify_page(client, stamped, tmp_path, scripted_province):
    path, _ = stamped
    client.force_login(factories.user_with_role(scripted_province.root, Role.PROVINCE))
    page = client.get(reverse("reports:verify"))
    assert page.status_code == 200
    good = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("a.xlsx", path.read_bytes())}
    )
    assert "验证通过" in good.content.decode()
    changed = edit(path, "B3", "改了", tmp_path / "c.xlsx")
    bad = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("b.xlsx", changed.read_bytes())}
    )
    body = bad.content.decode()
    assert "验证未通过" in body and "共青团甲市委员会" in body


@override_settings(REPORT_SIGNING_KEYS="")
def test_missing_keys_are_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        signing_keys()


# --- the whole workbook is covered: each tampering fails and says where ---------------------


@pytest.fixture
def sealed(tmp_path, scripted_province, people_table):
    from django.core.files.base import ContentFile

    issuer = Issuer.objects.create(organization=scripted_province.c1, contact_person="张三")
    issuer.seal.save("seal.png", ContentFile(draw_seal("共青团甲市委员会")))
    path = tmp_path / "sealed.xlsx"
    export_write(table=people_table, organization=scripted_province.c1, target=path, stamp=True)
    return path


def footer_row(sheet, label="填报单位（盖章）"):
    return next(r[0].row for r in sheet.iter_rows() if r[0].value == label)


def failed_at(path, where):
    verdict = verify_workbook(path)
    assert not verdict.ok
    assert verdict.stamped
    assert where in verdict.where, (verdict.reason, verdict.where)
    assert where in verdict.describe()
    return verdict


def test_rows_added_below_the_issuing_block_after_a_gap_fail(stamped, tmp_path):
    """Rows below the stamped table, after a blank gap, were ignored before; now they fail."""
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    last = sheet.max_row
    sheet.cell(row=last + 3, column=1, value=8)
    sheet.cell(row=last + 3, column=2, value="冒名顶替")
    workbook.save(tmp_path / "below.xlsx")
    verdict = failed_at(tmp_path / "below.xlsx", f"A{last + 3}")
    assert "Sheet1" in verdict.where


def test_rows_added_between_the_table_and_the_issuing_block_fail(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    first = footer_row(sheet)
    sheet.insert_rows(first, amount=2)
    sheet.cell(row=first, column=1, value=8)
    sheet.cell(row=first, column=2, value="冒名顶替")
    workbook.save(tmp_path / "between.xlsx")
    failed_at(tmp_path / "between.xlsx", f"A{first}")


def test_a_column_without_a_header_added_on_the_right_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    workbook.active["H5"] = "额外的一列"
    workbook.save(tmp_path / "column.xlsx")
    failed_at(tmp_path / "column.xlsx", "H5")


def test_a_fake_issuer_line_above_the_issuing_block_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    first = footer_row(sheet)
    sheet.insert_rows(first)
    sheet.cell(row=first, column=1, value="填报单位（盖章）")
    sheet.cell(row=first, column=2, value="共青团乙市委员会")
    workbook.save(tmp_path / "fake-issuer.xlsx")
    verdict = failed_at(tmp_path / "fake-issuer.xlsx", f"A{first + 1}")
    assert "填报单位（盖章）" in verdict.reason


def test_a_fake_issuer_line_in_the_gap_below_the_table_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    gap = footer_row(sheet) - 1
    sheet.cell(row=gap, column=1, value="填报单位（盖章）")
    sheet.cell(row=gap, column=2, value="共青团乙市委员会")
    workbook.save(tmp_path / "gap-issuer.xlsx")
    failed_at(tmp_path / "gap-issuer.xlsx", f"A{gap}")


def test_a_formula_without_a_cached_value_cannot_hide(stamped, tmp_path):
    """Excel computes a formula on opening; reading cached values only would miss it."""
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    target = sheet.max_row + 2
    sheet.cell(row=target, column=2, value='="共青团乙市委员会"')
    workbook.save(tmp_path / "formula.xlsx")
    failed_at(tmp_path / "formula.xlsx", f"B{target}")


def test_the_sealed_file_verifies_after_a_resave(sealed, tmp_path):
    assert verify_workbook(sealed).ok
    openpyxl.load_workbook(sealed).save(tmp_path / "resaved.xlsx")
    verdict = verify_workbook(tmp_path / "resaved.xlsx")
    assert verdict.ok, verdict.describe()


def test_a_replaced_seal_fails(sealed, tmp_path):
    out = tmp_path / "replaced.xlsx"
    with zipfile.ZipFile(sealed) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/media/"):
                data = draw_seal("共青团乙市委员会")
            target.writestr(item, data)
    verdict = failed_at(out, "Sheet1")
    assert "replaced" in verdict.reason or "替换" in verdict.reason


def test_a_removed_seal_fails(sealed, tmp_path):
    workbook = openpyxl.load_workbook(sealed)
    workbook.active._images.clear()
    workbook.save(tmp_path / "removed.xlsx")
    with zipfile.ZipFile(tmp_path / "removed.xlsx") as archive:
        assert not any(name.startswith("xl/media/") for name in archive.namelist())
    verdict = failed_at(tmp_path / "removed.xlsx", "Sheet1")
    assert "removed" in verdict.reason or "删除" in verdict.reason


def test_a_seal_removed_along_with_its_note_still_fails(sealed, tmp_path):
    """The note naming the seal's digest is a hint for the message; the code covers the seal."""
    workbook = openpyxl.load_workbook(sealed)
    workbook.active._images.clear()
    workbook.custom_doc_props.props = [
        p for p in workbook.custom_doc_props.props if p.name != "seal_sha256"
    ]
    workbook.save(tmp_path / "unsealed.xlsx")
    assert not verify_workbook(tmp_path / "unsealed.xlsx").ok


def test_a_hidden_sheet_added_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    hidden = workbook.create_sheet("附表")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "真实名单另附"
    workbook.save(tmp_path / "hidden.xlsx")
    failed_at(tmp_path / "hidden.xlsx", "附表")


def test_hiding_the_stamped_sheet_behind_another_fails(stamped, tmp_path):
    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    workbook.active.sheet_state = "hidden"
    shown = workbook.create_sheet("名册")
    shown["A1"] = "另一份名册"
    workbook.active = 1
    workbook.save(tmp_path / "swapped.xlsx")
    failed_at(tmp_path / "swapped.xlsx", "Sheet1")


def test_an_unstamped_file_says_it_carries_no_stamp(tmp_path, scripted_province, people_table):
    """No "issued by ? (?) on ?": the verdict says plainly that nothing is stamped."""
    plain = tmp_path / "plain.xlsx"
    export_write(table=people_table, organization=scripted_province.c1, target=plain)
    verdict = verify_workbook(plain)
    assert not verdict.ok and not verdict.stamped
    text = verdict.describe()
    assert "?" not in text and "？" not in text
    assert "no stamp" in text or "未盖章" in text


def test_a_comment_added_to_a_cell_fails(stamped, tmp_path):
    """A note shown beside a cell is something a reader sees outside the signed cells."""
    from openpyxl.comments import Comment

    path, _ = stamped
    workbook = openpyxl.load_workbook(path)
    workbook.active["B3"].comment = Comment("此人已转出，请以附件为准", "某人")
    workbook.save(tmp_path / "comment.xlsx")
    failed_at(tmp_path / "comment.xlsx", "xl/comments")


def test_text_added_in_a_drawing_fails(sealed, tmp_path):
    """A text box drawn over the sheet could name another issuer; any drawn text fails."""
    out = tmp_path / "textbox.xlsx"
    with zipfile.ZipFile(sealed) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/drawings/") and item.filename.endswith(".xml"):
                data = data.replace(
                    b"</xdr:wsDr>", "<a:t>共青团乙市委员会</a:t></xdr:wsDr>".encode()
                )
            target.writestr(item, data)
    failed_at(out, "xl/drawings/")


def test_verify_command_and_page_say_an_unstamped_file_carries_no_stamp(
    client, tmp_path, scripted_province, people_table
):
    plain = tmp_path / "plain.xlsx"
    export_write(table=people_table, organization=scripted_province.c1, target=plain)
    with pytest.raises(CommandError) as failure:
        call_command("verify_report", str(plain), stdout=io.StringIO())
    assert failure.value.returncode == 1
    assert "未盖章" in str(failure.value) and "?" not in str(failure.value)
    client.force_login(factories.user_with_role(scripted_province.c1, Role.COMMITTEE))
    page = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("p.xlsx", plain.read_bytes())}
    )
    body = page.content.decode()
    assert "该文件未盖章" in body and "由?" not in body


def test_an_empty_stamped_table_verifies(tmp_path, scripted_province, people_table):
    """No rows: the gap follows the header directly, and the issuing block after it."""
    path = tmp_path / "empty.xlsx"
    result = export_write(
        table=people_table, organization=scripted_province.c3, target=path, stamp=True
    )
    assert result.rows == 0
    verdict = verify_workbook(path)
    assert verdict.ok, verdict.describe()

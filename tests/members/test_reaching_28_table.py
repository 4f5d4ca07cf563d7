"""The list of members reaching 28 downloads as .xlsx through the export path."""

import io
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse

from reports.models import ExportLog
from tests.members.test_reaching_28 import ages  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_reaching_28_list_downloads_as_xlsx(client, small_province, ages):  # noqa: F811
    p = small_province
    client.force_login(p.county_user)
    page = client.get(reverse("members:reaching_28"), {"org": p.county.code, "days": "1"})
    url = f"{reverse('reports:download', args=['reaching_28'])}?org={p.county.code}&amp;days=1"
    assert url in page.content.decode()
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == HTTPStatus.OK
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][:3] == ("序号", "姓名", "现所在团支部")
    assert [(row[1], row[7]) for row in rows[2:]] == [
        ("昨天满28", "已满28周岁"),
        ("今天满28", "已满28周岁"),
        ("明天满28", "即将年满28周岁"),
    ]
    assert ExportLog.objects.filter(kind="reaching_28", user=p.county_user).count() == 1


def test_reaching_28_list_answers_404_outside_scope(client, small_province):
    client.force_login(small_province.other_city_user)
    url = reverse("reports:download", args=["reaching_28"])
    assert client.get(url, {"org": small_province.county.code}).status_code == 404

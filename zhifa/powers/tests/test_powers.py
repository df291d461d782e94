import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import Workbook

from zhifa.ledger import verification
from zhifa.powers import services
from zhifa.powers.models import PublicItem

HEADER = ["事项编码", "事项名称", "事项类别", "设定依据", "责任事项", "追责情形", "实施机构"]
ROWS = [
    ["330400-CF-001", "对未按规定储存危险化学品的处罚", "行政处罚", "《危险化学品安全管理条例》第八十条", "立案、调查、告知、决定、送达、执行", "不履行或不正确履行职责的", "执法支队"],
    ["330400-JC-002", "对危险化学品企业的监督检查", "行政检查", "《中华人民共和国安全生产法》第六十五条", "制定计划、实施检查、处理", "", "执法支队"],
]


def workbook(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_import_versions_and_history(world, client):
    counts = services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=workbook(ROWS))
    assert counts == {"added": 2, "changed": 0, "unchanged": 0, "withdrawn": 0}
    changed = [ROWS[0][:3] + ["《危险化学品安全管理条例》（2013年修订）第八十条"] + ROWS[0][4:]]
    counts = services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=workbook(changed), note="依据修订")
    assert counts == {"added": 0, "changed": 1, "unchanged": 0, "withdrawn": 1}
    item = PublicItem.objects.get(code="330400-CF-001")
    assert item.version == 2 and item.versions.count() == 2
    page = client.get(f"/gs/items/{item.pk}/").content.decode()
    assert "2013年修订" in page and "第 1 版" in page and "依据修订" in page
    agency_page = client.get(f"/gs/agencies/{world.city_a.pk}/").content.decode()
    assert "对未按规定储存危险化学品的处罚" in agency_page and "对危险化学品企业的监督检查" not in agency_page  # withdrawn
    assert verification.verify().ok


def test_a_bad_row_changes_nothing_and_is_named(world):
    rows = [ROWS[0], ["330400-CF-009", "", "行政处罚", "", "", "", ""]]
    with pytest.raises(ValidationError) as exc:
        services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=workbook(rows))
    assert "第 3 行" in str(exc.value) and "设定依据" in str(exc.value)
    assert not PublicItem.objects.exists()
    with pytest.raises(ValidationError, match="无法识别的列"):
        services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=workbook(ROWS, HEADER + ["备注栏"]))
    with pytest.raises(ValidationError, match="xlsx"):
        services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=io.BytesIO(b"not a workbook"))
    with pytest.raises(PermissionDenied):
        services.import_list(world.officer_a, world.city_a, list_kind="powers", fileobj=workbook(ROWS))


def test_service_guide_and_command_line(world, tmp_path):
    header = ["事项编码", "事项名称", "依据", "受理机构", "受理条件", "申请材料", "办理流程", "办理时限", "救济渠道", "办公时间", "办公地址", "办公电话"]
    row = ["330400-XK-001", "危险化学品经营许可证核发", "《危险化学品安全管理条例》第三十三条", "市民中心应急窗口", "具备规定条件的企业",
           "申请书、营业执照、安全评价报告", "申请—受理—审查—决定—发证", "受理之日起二十个工作日内", "行政复议或行政诉讼", "工作日 9:00-17:00", "嘉兴市行政中心", "0573-82000000"]
    path = tmp_path / "guides.xlsx"
    path.write_bytes(workbook([row], header).getvalue())
    out = io.StringIO()
    call_command("powers", "import", str(path), "--agency", world.city_a.short_name, "--list", "guides", stdout=out)
    assert "新增 1" in out.getvalue()
    out = io.StringIO()
    call_command("powers", "list", "--agency", world.city_a.short_name, "--list", "guides", stdout=out)
    assert "危险化学品经营许可证核发" in out.getvalue()


def test_agency_page_shows_its_change_history(world, client):
    from zhifa.org import services as org

    org.update_agency(world.admin, world.city_a, phone="0573-88888888")
    page = client.get(f"/gs/agencies/{world.city_a.pk}/").content.decode()
    assert "信息变更记录" in page and "0573-88888888" in page and "首次登记" in page

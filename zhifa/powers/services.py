"""Writes to the 事前公开 lists: one item at a time, or a whole list imported from xlsx.

Every change adds a version (kept for the public history) and a ledger event; an import is all or nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import require
from zhifa.core.roles import is_admin_or_head_of
from zhifa.core.text import CONTROL_MESSAGE, has_control
from zhifa.ledger import services as ledger

from . import specs
from .models import ListKind, PublicItem, PublicItemVersion


def may_edit(actor, agency) -> bool:
    return bool(
        is_admin_or_head_of(actor, agency)
    )


def _clean(list_kind: str, code: str, name: str, fields: dict) -> tuple[str, str, dict]:
    if list_kind not in ListKind.values:
        raise ValidationError({"list_kind": "清单类型无效。"})
    code, name = (code or "").strip(), (name or "").strip()
    errors = []
    if not code or len(code) > 60:
        errors.append("事项编码不能为空，且不超过 60 个字符。")
    if not name or len(name) > 200:
        errors.append("事项名称不能为空，且不超过 200 个字符。")
    if has_control(code) or has_control(name) or any(has_control(v) for v in (fields or {}).values()):
        errors.append(CONTROL_MESSAGE)
    known = {c.key for c in specs.columns(list_kind)}
    cleaned = {}
    for key, value in (fields or {}).items():
        if key not in known:
            errors.append(f"未知的栏目：{key}")
            continue
        cleaned[key] = str(value).strip()[:5000] if value is not None else ""
    for column in specs.columns(list_kind):
        if column.required and not cleaned.get(column.key):
            errors.append(f"“{column.label}”不能为空。")
    if errors:
        raise ValidationError(errors)
    return code, name, cleaned


def _save(actor, agency, list_kind, code, name, fields, *, note, active=True) -> tuple[PublicItem, bool]:
    now = timezone.now()
    item = PublicItem.objects.select_for_update().filter(agency=agency, list_kind=list_kind, code=code).first()
    if item is not None and item.name == name and item.fields == fields and item.is_active == active:
        return item, False
    if item is None:
        item = PublicItem(agency=agency, list_kind=list_kind, code=code, version=1)
    else:
        item.version += 1
    item.name, item.fields, item.is_active, item.updated_at = name, fields, active, now
    item.save()
    PublicItemVersion.objects.create(
        item=item, version=item.version, name=name, fields=fields, is_active=active, changed_at=now,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None, note=note[:300],
    )
    ledger.append(
        "powers.item.saved", actor=actor, obj=item, agency_id=agency.pk,
        data={"list": list_kind, "code": code, "name": name, "fields": fields, "version": item.version, "active": active, "note": note},
    )
    return item, True


@transaction.atomic
def save_item(actor, agency, *, list_kind: str, code: str, name: str, fields: dict, note: str = "") -> PublicItem:
    require(may_edit(actor, agency), "只有系统管理员或本机关负责人可以维护公开清单。")
    code, name, fields = _clean(list_kind, code, name, fields)
    return _save(actor, agency, list_kind, code, name, fields, note=note or "修改")[0]


def read_xlsx(fileobj, list_kind: str) -> list[dict]:
    """Rows of the first sheet as {code, name, fields, row}; headers are the Chinese column labels."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:
        raise ValidationError({"file": "无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"})
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    labels = {c.label: c.key for c in specs.columns(list_kind)}
    if specs.CODE not in header or specs.NAME not in header:
        raise ValidationError({"file": f"第一行应为表头，且包含“{specs.CODE}”和“{specs.NAME}”两列。"})
    unknown = [h for h in header if h and h not in labels and h not in (specs.CODE, specs.NAME)]
    if unknown:
        raise ValidationError({"file": f"表头中有无法识别的列：{'、'.join(unknown)}。可用的列：{specs.CODE}、{specs.NAME}、{'、'.join(labels)}。"})
    items = []
    for number, values in enumerate(rows, start=2):
        row = {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}
        if not any(v not in (None, "") for v in row.values()):
            continue
        items.append({
            "row": number,
            "code": str(row.get(specs.CODE) or "").strip(),
            "name": str(row.get(specs.NAME) or "").strip(),
            "fields": {labels[k]: ("" if v is None else str(v)) for k, v in row.items() if k in labels},
        })
    return items


@transaction.atomic
def import_list(actor, agency, *, list_kind: str, fileobj, note: str = "批量导入") -> dict:
    """Replace an agency's list with the spreadsheet: new rows added, changed rows versioned, missing rows
    withdrawn. Any bad row: nothing changes, and every bad row is named."""
    require(may_edit(actor, agency), "只有系统管理员或本机关负责人可以维护公开清单。")
    rows = read_xlsx(fileobj, list_kind)
    if not rows:
        raise ValidationError({"file": "表格中没有事项。"})
    problems, cleaned, seen = [], [], set()
    for row in rows:
        try:
            code, name, fields = _clean(list_kind, row["code"], row["name"], row["fields"])
        except ValidationError as exc:
            problems.append(f"第 {row['row']} 行：{'；'.join(exc.messages)}")
            continue
        if code in seen:
            problems.append(f"第 {row['row']} 行：事项编码 {code} 重复。")
        seen.add(code)
        cleaned.append((code, name, fields))
    if problems:
        raise ValidationError({"file": problems})
    counts = {"added": 0, "changed": 0, "unchanged": 0, "withdrawn": 0}
    existing = {i.code: i for i in PublicItem.objects.filter(agency=agency, list_kind=list_kind)}
    for code, name, fields in cleaned:
        _, changed = _save(actor, agency, list_kind, code, name, fields, note=note)
        counts["added" if code not in existing else "changed" if changed else "unchanged"] += 1
    for code, item in existing.items():
        if code not in seen and item.is_active:
            _save(actor, agency, list_kind, code, item.name, item.fields, note=f"{note}：表格中已无此事项", active=False)
            counts["withdrawn"] += 1
    return counts

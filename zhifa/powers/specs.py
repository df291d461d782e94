"""The three 事前公开 lists and their columns (DOMAIN.md R1.6, R1.7). The xlsx import reads these
Chinese headers; the public pages show the same labels."""

from dataclasses import dataclass

from zhifa.core.registry import Registry


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False


LISTS = {
    "powers": ("权责清单", [
        Column("category", "事项类别", True), Column("basis", "设定依据", True), Column("responsibility", "责任事项"),
        Column("accountability", "追责情形"), Column("department", "实施机构"), Column("procedure", "适用程序"),
    ]),
    "inspections": ("随机抽查事项清单", [
        Column("category", "抽查类别", True), Column("basis", "抽查依据", True), Column("targets", "检查对象", True),
        Column("method", "检查方式"), Column("ratio", "抽查比例"), Column("department", "实施机构"),
        # 执法类别 an inspector's credential must cover to be drawn for the item (R8.6); terms separated by 、
        Column("scope", "执法类别"),
    ]),
    "guides": ("服务指南", [
        Column("basis", "依据", True), Column("accepting_body", "受理机构", True), Column("approving_body", "审批机构"),
        Column("conditions", "受理条件", True), Column("materials", "申请材料", True), Column("process", "办理流程", True),
        Column("time_limit", "办理时限", True), Column("fees", "收费标准"), Column("supervision", "监督方式"),
        Column("accountability", "责任追究"), Column("remedies", "救济渠道", True), Column("office_hours", "办公时间"),
        Column("address", "办公地址"), Column("phone", "办公电话"),
    ]),
}
CODE, NAME = "事项编码", "事项名称"


def title(list_kind: str) -> str:
    return LISTS[list_kind][0]


def columns(list_kind: str) -> list[Column]:
    return LISTS[list_kind][1]


procedure_name_source = Registry("powers.procedure_names", "fn() -> {procedure code: name}; procedures (above powers) registers it.")


def procedure_names() -> dict:
    source = procedure_name_source.get("names")
    return source() if source else {}

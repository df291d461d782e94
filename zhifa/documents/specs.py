"""What each 执法文书 contains: the fields an officer fills in, which are required before it can be
issued, and whether the party signs it (DOMAIN.md R2.5, R4.10, R6.2).

Party, case number, agency, officers, proposal and dates come from the case; these are the rest.
"""

from dataclasses import dataclass

from zhifa.procedures.document_types import DOCUMENT_TYPES


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool = True
    long: bool = False
    kind: str = "text"  # "date": a calendar date written YYYY-MM-DD


F = Field
REMEDY_FIELDS = [
    F("reconsideration_body", "行政复议机关"),
    F("court", "管辖人民法院"),
]

SPECS: dict[str, list[Field]] = {
    # An 审批表's approval is the head's own act (送机关负责人审批, zhifa.workflow.approvals): it is printed from the
    # approval, never typed by the officer who drafts the form.
    "filing_approval": [F("case_summary", "案情摘要", long=True), F("filing_reason", "立案理由及依据", long=True)],
    "inspection_record": [
        F("inspected_at", "检查时间"), F("location", "检查地点"), F("present_person", "现场负责人或在场人员"),
        F("credentials_shown", "出示执法证件情况"), F("findings", "检查情况", long=True),
    ],
    "inquiry_record": [
        F("inquired_at", "询问时间"), F("location", "询问地点"), F("respondent", "被询问人"),
        F("rights_notice", "告知权利及回避情况"), F("transcript", "询问内容（问答）", long=True),
    ],
    "seizure_approval": [F("reason", "拟采取强制措施的理由和依据", long=True), F("items", "拟查封扣押的场所、设施或财物", long=True)],
    "seizure_decision": [
        F("reason", "查封扣押的理由", long=True), F("basis", "查封扣押的依据"), F("items", "查封扣押场所、设施或者财物的名称、数量", long=True),
        F("period", "查封扣押的期限"), *REMEDY_FIELDS,
    ],
    "seizure_record": [
        F("executed_at", "实施时间"), F("location", "实施地点"), F("process", "现场情况及告知事项", long=True),
        F("statement", "当事人陈述申辩", long=True),
    ],
    "property_list": [F("items", "财物名称、规格、数量、状况", long=True), F("storage", "保管方式和地点")],
    "preservation_notice": [
        F("reason", "先行登记保存的理由（证据可能灭失或者以后难以取得）", long=True), F("items", "先行登记保存物品的名称、数量、规格", long=True),
        F("place", "保存地点及方式"),
    ],
    "preservation_decision": [F("items", "物品", long=True), F("measure", "处理决定（解除保存、查封扣押、没收、移送等）", long=True)],
    "inspection_result": [F("inspected_at", "检查时间"), F("items", "检查事项"), F("result", "检查结果", long=True), F("handling", "处理意见", required=False)],
    "investigation_report": [F("facts", "调查认定的违法事实", long=True), F("evidence", "证据", long=True), F("opinion", "处理意见及理由", long=True)],
    "penalty_notice": [
        F("facts", "违法事实", long=True), F("evidence", "证据"), F("statement_deadline", "陈述申辩期限"),
        F("contact", "联系人及联系方式"),
    ],
    "statement_record": [F("statement", "当事人陈述、申辩内容", long=True), F("recheck", "复核意见", long=True)],
    "hearing_notice": [
        F("hearing_at", "听证日期（年-月-日）", kind="date"), F("time", "听证时间（时分）"), F("location", "听证地点"),
        F("host", "听证主持人（非本案调查人员）"), F("public", "是否公开举行"),
    ],
    "hearing_record": [
        F("hearing_at", "听证日期（年-月-日）", kind="date"), F("location", "听证地点"), F("host", "听证主持人（非本案调查人员）"),
        F("participants", "听证参加人"), F("transcript", "听证过程", long=True),
    ],
    "hearing_report": [F("summary", "听证情况及处理意见", long=True)],
    "review_opinion": [F("opinion", "审核意见", long=True)],
    "collective_discussion": [
        F("held_at", "讨论时间"), F("host", "主持人"), F("attendees", "出席人员"), F("discussion", "讨论记录", long=True),
        F("conclusion", "讨论决定", long=True),
    ],
    "penalty_decision": [
        F("facts", "违反法律、法规、规章的事实", long=True), F("evidence", "证据", long=True),
        F("performance", "履行方式和期限", long=True), *REMEDY_FIELDS,
    ],
    "no_penalty_decision": [F("facts", "查明的事实", long=True), F("reason", "不予处罚的理由和依据", long=True), *REMEDY_FIELDS],
    "onsite_penalty_decision": [F("facts", "违法行为", long=True), F("location", "地点"), F("performance", "履行方式和期限"), *REMEDY_FIELDS],
    "service_receipt": [F("served_document", "送达文书名称及文号"), F("method", "送达方式"), F("address", "送达地点")],
    "closing_report": [F("result", "处理结果及执行情况", long=True)],
}

# Documents the party signs; a refusal is noted instead (行政处罚法第五十二条, 行政强制法第十八条).
PARTY_SIGNS = {
    "inspection_record", "inquiry_record", "seizure_record", "property_list", "statement_record",
    "hearing_record", "service_receipt", "onsite_penalty_decision", "preservation_notice",
}
# 行政强制法第十八条第十项: when the party is absent, a witness signs the 现场笔录.
WITNESS_ALLOWED = {"seizure_record", "property_list", "inspection_record"}
# Decisions that carry the agency's seal (行政处罚法第五十九条, 行政强制法第二十四条).
SEALED = {
    "seizure_decision", "seizure_release", "penalty_notice", "hearing_notice", "penalty_decision", "no_penalty_decision",
    "onsite_penalty_decision", "rectification_notice", "permit_decision", "acceptance_notice", "inspection_notice",
    "transfer_letter", "payment_reminder", "preservation_notice", "preservation_decision", "inspection_result",
}


def fields(doc_type: str) -> list[Field]:
    return SPECS.get(doc_type, [Field("body", "正文", long=True)])


def title(doc_type: str) -> str:
    return DOCUMENT_TYPES[doc_type][0]


def type_code(doc_type: str) -> str:
    return DOCUMENT_TYPES[doc_type][1]

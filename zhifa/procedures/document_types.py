"""The 执法文书 types procedures refer to (DOMAIN.md R6.2), with the type code used in their 文号 (R6.3).

Procedures name documents by code; the documents app renders and numbers them with these codes.
"""

DOCUMENT_TYPES = {
    "case_source_register": ("案件来源登记表", "案源"),
    "filing_approval": ("立案审批表", "立审"),  # not "立": that series numbers the cases themselves
    "no_filing_approval": ("不予立案审批表", "不立"),
    "inspection_approval": ("行政检查审批表", "检审"),
    "inspection_notice": ("行政检查通知书", "检通"),
    "inspection_record": ("现场检查（勘验）笔录", "检录"),  # not "检": that series numbers inspection cases
    "inquiry_notice": ("询问通知书", "询通"),
    "inquiry_record": ("询问笔录", "询"),
    "sampling_record": ("抽样取证凭证", "抽"),
    "preservation_notice": ("证据先行登记保存通知书", "先保"),
    "preservation_decision": ("先行登记保存物品处理决定书", "先保处"),
    "inspection_result": ("行政检查结果告知书", "检果"),
    "rectification_notice": ("责令（限期）改正通知书", "责改"),
    "seizure_approval": ("查封（扣押）审批表", "封扣审"),
    "seizure_decision": ("查封（扣押）决定书", "封扣"),
    "seizure_record": ("查封（扣押）现场笔录", "封扣录"),
    "property_list": ("财物清单", "物"),
    "seizure_extension": ("延长查封（扣押）期限通知书", "延封扣"),
    "seizure_release": ("解除查封（扣押）决定书", "解封扣"),
    "investigation_report": ("调查终结报告", "终"),
    "penalty_notice": ("行政处罚事先告知书", "罚告"),
    "statement_record": ("陈述申辩笔录", "申辩"),
    "hearing_notice": ("听证通知书", "听通"),
    "hearing_record": ("听证笔录", "听录"),
    "hearing_report": ("听证报告", "听报"),
    "review_opinion": ("法制审核意见书", "审"),
    "collective_discussion": ("集体讨论记录", "集"),
    "penalty_decision": ("行政处罚决定书", "罚决"),
    "no_penalty_decision": ("不予行政处罚决定书", "不罚"),
    "onsite_penalty_decision": ("当场行政处罚决定书", "当罚"),
    "service_receipt": ("送达回证", "送"),
    "payment_reminder": ("催告书", "催"),
    "enforcement_application": ("强制执行申请书", "执申"),
    "transfer_letter": ("案件移送函", "移"),
    "closing_report": ("结案报告", "结"),
    "permit_application": ("行政许可申请书", "许申"),
    "supplement_notice": ("补正材料通知书", "许补"),
    "acceptance_notice": ("受理通知书", "许受"),
    "permit_decision": ("行政许可决定书", "许决"),
    "permit_certificate": ("行政许可证件", "许证"),
}


def document_name(code: str) -> str:
    return DOCUMENT_TYPES[code][0] if code in DOCUMENT_TYPES else code

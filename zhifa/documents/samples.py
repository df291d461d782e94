"""Sample document contents, shared by the demo data and the tests."""

import datetime

from zhifa.documents import specs

TEXT = {
    "facts": "2026年11月13日，执法人员对当事人危险化学品仓库进行检查，发现 3 号仓库内氧化性物质与易燃物品混存，东侧消防通道堆放货物。",
    "evidence": "现场检查笔录、询问笔录、现场照片、执法记录仪录像、企业安全检查台账。",
    "performance": "自收到本决定书之日起十五日内，将罚款缴至指定银行（罚缴分离），逾期每日按罚款数额的百分之三加处罚款。",
    "reconsideration_body": "嘉兴市人民政府",
    "court": "嘉兴市南湖区人民法院",
    "location": "嘉兴市南湖区凌公塘路 1288 号 3 号仓库",
    "host": "法制科 陈静（非本案调查人员）",
    "public": "公开举行",
    "time": "上午 9 时 30 分",
    "credentials_shown": "执法人员张伟（33040011001）、吴磊出示执法证件，当事人现场负责人确认。",
}


def filled(doc_type: str, **overrides) -> dict:
    """Every field of the document filled; a date field (听证日期) three weeks from today unless given."""
    from django.utils import timezone

    default_day = (timezone.localdate() + datetime.timedelta(days=21)).isoformat()
    content = {
        f.key: default_day if f.kind == "date" else TEXT.get(f.key, f"{f.label}：见案卷材料。") for f in specs.fields(doc_type)
    }
    return {**content, **overrides}

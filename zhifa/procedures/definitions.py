"""Procedure definitions as data: loading, validation, and read access.

A definition is JSON (the bundled ones are in definitions/*.json): stages with the documents and
recordings each requires, allowed transitions with named guards, and time limits with their legal
basis. The case engine, the deadline alerts, the gate checks and the public flowchart all read it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from zhifa import workdays

from .document_types import DOCUMENT_TYPES

BUNDLED_DIR = Path(__file__).parent / "definitions"
CATEGORIES = {"penalty": "行政处罚", "coercion": "行政强制", "permit": "行政许可", "inspection": "行政检查"}
# Conditions under which a deadline applies at all (the case engine evaluates them).
DEADLINE_CONDITIONS = {"emergency": "紧急情况当场实施的", "hearing_right": "当事人享有听证权利的", "fine": "决定罚款的"}
# Periods a limit may exclude (行政处罚法第六十条, 行政许可法第四十五条, 行政强制法第二十五条); cases.PauseKind mirrors it.
EXCLUSIONS = {
    "hearing": "听证", "public_notice": "公告", "testing": "检测", "inspection": "检验", "appraisal": "鉴定",
    "quarantine": "检疫", "expert": "专家评审", "certification": "认定", "other": "其他依法不计入的期间",
}
# Acts that meet or start a limit: a document issued or served, the fine paid, the case closed, the review
# decided, the party's choice about a hearing.
FIXED_ACTS = {"paid", "closed", "review:decided", "party:hearing_requested", "party:hearing_waived"}
# Decisions that may be major (重大执法决定): a procedure ending in one has a legal-review stage, and every
# way into the stage that makes it is guarded by the review (seeds 001 (三), 002 (三), 004 items 9–11).
REVIEWED_DECISIONS = {
    "penalty_decision", "no_penalty_decision", "permit_decision", "seizure_decision", "rectification_notice", "inspection_result",
}
RECORDING_LEVELS = {"required": "必须全程音像记录", "situational": "根据实际情况音像记录"}

# Conditions a transition may name; the case engine implements each (zhifa/cases/guards.py).
GUARDS = {
    "defence_heard": "已告知当事人并听取陈述申辩（或当事人明确放弃）",
    "hearing_right_applies": "拟作出的处罚属于应当告知听证权利的情形",
    "within_hearing_request_period": "当事人在告知后五个工作日内申请听证",
    "hearing_request_period_over": "听证申请期限已过、当事人放弃听证或听证已举行",
    "review_passed_if_required": "属于重大执法决定的，法制审核已通过",
    "review_passed_or_escalated": "属于重大执法决定的，法制审核已通过或审核分歧已提交集体讨论",
    "no_penalty_proposed": "调查终结意见为不予处罚或移送司法机关",
    "simple_procedure_thresholds": "罚款数额在简易程序限额内（公民二百元、组织三千元以下）或为警告",
    "fine_settled": "罚款已缴清（含加处罚款）或已申请强制执行",
}


def valid_act(act) -> bool:
    if not isinstance(act, str):
        return False
    kind, _, what = act.partition(":")
    return act in FIXED_ACTS or (kind in ("issued", "served") and what in DOCUMENT_TYPES)


def bundled() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(BUNDLED_DIR.glob("*.json"))]


def validate(definition: dict) -> list[str]:
    """Every problem with a definition, in Chinese; empty when it can be published."""
    errors = []
    if not isinstance(definition, dict):
        return ["程序定义必须是 JSON 对象。"]
    for key in ("code", "name", "category", "start", "stages", "transitions"):
        if not definition.get(key):
            errors.append(f"缺少“{key}”。")
    if errors:
        return errors
    if definition["category"] not in CATEGORIES:
        errors.append(f"程序类别“{definition['category']}”无效，应为 {'、'.join(CATEGORIES)} 之一。")
    stages = definition["stages"]
    codes = [s.get("code") for s in stages if isinstance(s, dict)]
    if len(codes) != len(stages) or not all(codes):
        return errors + ["每个环节都必须有 code。"]
    if len(set(codes)) != len(codes):
        errors.append("环节 code 有重复。")
    if definition["start"] not in codes:
        errors.append(f"起始环节“{definition['start']}”不存在。")
    finals = [s["code"] for s in stages if s.get("final")]
    if not finals:
        errors.append("至少需要一个结束环节（final）。")
    for stage in stages:
        if not stage.get("name"):
            errors.append(f"环节“{stage['code']}”缺少名称。")
        for doc in [*stage.get("documents", []), *stage.get("documents_any", [])]:
            if doc not in DOCUMENT_TYPES:
                errors.append(f"环节“{stage['code']}”要求的文书“{doc}”不是已知的执法文书类型。")
        if stage.get("recordings") and stage["recordings"] not in RECORDING_LEVELS:
            errors.append(f"环节“{stage['code']}”的音像记录要求“{stage['recordings']}”无效。")
        if not isinstance(stage.get("min_officers", 0), int) or stage.get("min_officers", 0) < 0:
            errors.append(f"环节“{stage['code']}”的执法人员人数无效。")
        for doc in stage.get("served_any", []):
            if doc not in DOCUMENT_TYPES:
                errors.append(f"环节“{stage['code']}”要求送达的文书“{doc}”不是已知的执法文书类型。")
    for t in definition["transitions"]:
        if t.get("from") not in codes or t.get("to") not in codes:
            errors.append(f"流转“{t.get('name', '')}”的起止环节不存在：{t.get('from')} → {t.get('to')}。")
        for guard in t.get("guards", []):
            if guard not in GUARDS:
                errors.append(f"流转“{t.get('name', '')}”的条件“{guard}”未定义。")
        if t.get("from") in finals:
            errors.append(f"结束环节“{t['from']}”不能再流转。")
    for d in definition.get("deadlines", []):
        if d.get("start") not in codes or d.get("end") not in codes:
            errors.append(f"期限“{d.get('name', '')}”的起止环节不存在。")
        if d.get("unit") not in (workdays.WD, workdays.DAYS) or not isinstance(d.get("amount"), int) or d["amount"] <= 0:
            errors.append(f"期限“{d.get('name', '')}”的期间无效（unit 应为 WD 或 D，amount 为正整数）。")
        if not d.get("basis"):
            errors.append(f"期限“{d.get('name', '')}”缺少法律依据。")
        if d.get("only_if") and d["only_if"] not in DEADLINE_CONDITIONS:
            errors.append(f"期限“{d.get('name', '')}”的适用条件“{d['only_if']}”未定义。")
        for key, label in (("starts_on", "起算行为"), ("met_by", "完成行为")):
            acts = d.get(key) or []
            acts = [acts] if isinstance(acts, str) else acts
            if not isinstance(acts, list) or not all(valid_act(a) for a in acts):
                errors.append(f"期限“{d.get('name', '')}”的{label}无效（应为 issued:文书、served:文书、paid、closed 等）。")
        exclusions = d.get("exclusions") or []
        if not isinstance(exclusions, list) or not set(exclusions) <= set(EXCLUSIONS):
            errors.append(f"期限“{d.get('name', '')}”的不计入期间无效。")
        ext = d.get("extension")
        if ext is not None and (
            not isinstance(ext, dict) or ext.get("unit") not in (workdays.WD, workdays.DAYS)
            or not isinstance(ext.get("amount"), int) or ext["amount"] <= 0 or not ext.get("basis")
        ):
            errors.append(f"期限“{d.get('name', '')}”的延长规定无效（须有期间和依据）。")
    deciding = [
        s["code"] for s in stages if REVIEWED_DECISIONS & set(s.get("documents", []) + s.get("documents_any", []))
    ]
    if deciding and not definition.get("review_exempt"):
        review = next((s for s in stages if s["code"] == "legal_review"), None)
        if review is None or "review_opinion" not in review.get("documents", []):
            errors.append("该程序可以作出重大执法决定，应当设置“法制审核”环节（code 为 legal_review，要求法制审核意见书）。")
        for t in definition["transitions"]:
            if t.get("to") in deciding and "review_passed_if_required" not in t.get("guards", []):
                errors.append(
                    f"流转“{t.get('name', '')}”进入作出决定的环节，应当设置条件 review_passed_if_required（重大执法决定未经法制审核不得作出）。"
                )
    if not errors:
        reachable, frontier = {definition["start"]}, [definition["start"]]
        while frontier:
            here = frontier.pop()
            for t in definition["transitions"]:
                if t["from"] == here and t["to"] not in reachable:
                    reachable.add(t["to"])
                    frontier.append(t["to"])
        unreachable = [c for c in codes if c not in reachable]
        if unreachable:
            errors.append(f"以下环节无法到达：{'、'.join(unreachable)}。")
        if not reachable & set(finals):
            errors.append("从起始环节无法到达任何结束环节。")
    return errors


@dataclass(frozen=True)
class Procedure:
    """Read access to one published definition."""

    data: dict

    @property
    def code(self) -> str:
        return self.data["code"]

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def start(self) -> str:
        return self.data["start"]

    @property
    def stages(self) -> list[dict]:
        return self.data["stages"]

    def stage(self, code: str) -> dict:
        for stage in self.stages:
            if stage["code"] == code:
                return stage
        raise KeyError(code)

    def stage_name(self, code: str) -> str:
        try:
            return self.stage(code)["name"]
        except KeyError:
            return code

    def transitions_from(self, code: str) -> list[dict]:
        return [t for t in self.data["transitions"] if t["from"] == code]

    def transition(self, source: str, target: str) -> dict | None:
        return next((t for t in self.transitions_from(source) if t["to"] == target), None)

    @property
    def deadlines(self) -> list[dict]:
        return self.data.get("deadlines", [])

    def is_final(self, code: str) -> bool:
        return bool(self.stage(code).get("final"))

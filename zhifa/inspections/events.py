"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

PLAN = "agency item year round number title starts_on ends_on inspectors_per_agency region_prefix seed_source seed_description status created_by partners"
TASK = "plan target position stratum status case outcome checked_on note recorded_by"

declare("inspections.target.saved", "检查对象名录库：新增或修改检查对象", "agency name code kind region_code risk_class is_active")
declare("inspections.targets.imported", "检查对象名录库：批量导入", "agency added updated total rows_sm3")
declare("inspections.inspector.saved", "执法检查人员名录库：列入或移出", "agency person is_active note")
declare("inspections.rule.saved", "设定抽查比例与频次", "agency item risk_class ratio frequency basis")
declare("inspections.cap.saved", "设定年度抽查次数上限", "year limit basis")
declare("inspections.plan.created", "制定抽查计划", PLAN)
declare("inspections.draw.committed", "固化抽查名单（承诺摘要）", PLAN + " targets_sm3 inspectors_sm3 parameters_sm3 target_count inspector_count")
declare("inspections.draw.made", "摇号", PLAN + " seed seed_head result_sm3 selected skipped")
declare("inspections.task.recused", "执法检查人员回避并替换", "plan task target inspector replacement reason")
declare("inspections.task.started", "开始检查（行政检查案件）", TASK)
declare("inspections.task.result", "录入检查结果", TASK)
declare("inspections.plan.finished", "抽查计划完成", PLAN)

"""Scheduled supervision job (zhifa/core/jobs.py): the problem models, every hour."""

from zhifa.core.jobs import Schedule, job


@job("problem-models", "问题模型：查找监督线索", Schedule("hour"))
def problem_models() -> str:
    from .services import run_models

    counts = run_models()
    return f"发现 {counts['found']} 项，新线索 {counts['new']} 条，自动办结 {counts['closed']} 条"

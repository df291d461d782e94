"""The demo's 双随机 round re-computed by the shipped verifier in a clean interpreter (issue 15), and rejected
once its pool, seed or result is changed; the demo data as a whole verifies."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from zhifa.inspections import drawing
from zhifa.inspections.models import Plan, PlanStatus
from zhifa.inspections.records import public_record
from zhifa.ledger import verification

VERIFIER = Path(drawing.__file__)


def verify(record, tmp_path, name="record.json"):
    path = tmp_path / name
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-I", "-S", str(VERIFIER), str(path)], capture_output=True, text=True, timeout=120)


@pytest.mark.django_db(transaction=True)
def test_the_demo_draw_recomputes_and_a_changed_record_does_not(tmp_path):
    call_command("seed_demo")
    plan = Plan.objects.get(status=PlanStatus.DRAWN)
    assert plan.partners.exists() and plan.draw.seed and plan.tasks.filter(status="done").count() == 2
    record = public_record(plan.draw)
    assert record["recusals"], "the demo shows a recusal"
    ok = verify(record, tmp_path)
    assert ok.returncode == 0 and "校验通过" in ok.stdout, ok.stdout + ok.stderr

    def changed(edit):
        copy = json.loads(json.dumps(record))
        edit(copy)
        return verify(copy, tmp_path, "changed.json")

    pool = changed(lambda r: r["pools"]["targets"].pop(3))
    seed = changed(lambda r: r["seed"].update(value=r["seed"]["value"].replace("11", "12")))
    result = changed(lambda r: r["result"]["initial"].reverse())
    replacement = changed(lambda r: r["recusals"][0].update(replacement=r["recusals"][0]["inspector"]))
    for out, words in ((pool, "检查对象名单与摇号前承诺"), (seed, "摇号结果与重新计算"), (result, "摇号结果与重新计算"), (replacement, "第 1 次回避")):
        assert out.returncode == 1 and words in out.stdout, out.stdout
    assert verification.verify(check_files=False).ok

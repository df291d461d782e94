"""Evidence survives crashes: a killed upload leaves no file at a content address, a damaged file there is
never trusted, and the left-overs are reported and swept."""

import hashlib
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from django.core.management import call_command

from zhifa.evidence import storage
from zhifa.evidence.models import Evidence
from zhifa.ledger import verification

from . import factories as ef

CHILD = textwrap.dedent(
    """
    import io, os, sys, time
    import django
    django.setup()
    from zhifa.evidence import storage
    real_replace = os.replace
    def slow_replace(src, dst):
        open(sys.argv[1], "w").close()   # tell the parent we are in the final move
        time.sleep(60)
        real_replace(src, dst)
    os.replace = slow_replace
    storage.store(storage.SpooledUpload.from_stream(io.BytesIO(b"body camera " * 100000), name="a.mp4"))
    """
)


def test_kill_9_during_the_final_move_leaves_no_file_at_the_content_address(tmp_path):
    var = tmp_path / "var"
    marker = tmp_path / "in-move"
    env = {**os.environ, "ZHIFA_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "zhifa.settings"}
    env.pop("ZHIFA_S3_BUCKET", None)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker)], env=env, cwd=Path(__file__).resolve().parents[3])
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the child never reached the final move"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    sm3 = hashlib.new("sm3", b"body camera " * 100000).hexdigest()
    evidence_root = var / "evidence"
    assert not (evidence_root / storage.content_key(sm3)).exists()
    assert [p.name for p in (evidence_root / storage.TEMP_DIR_NAME).iterdir()]  # the orphan is in .incoming only


def test_a_damaged_file_at_the_content_address_is_replaced_not_trusted(world, evidence_dir):
    data = b"inspection recording " * 5000
    key = storage.content_key(hashlib.new("sm3", data).hexdigest())
    path = evidence_dir / key
    path.parent.mkdir(parents=True)
    path.write_bytes(data[:1000])  # what a crash in the old final move left behind
    evidence = ef.evidence(world.officer_a, data)
    assert path.read_bytes() == data
    assert Evidence.objects.get(pk=evidence.pk).storage_key == key
    report = verification.verify()
    assert report.ok, report.problems


def test_orphans_are_reported_by_verify_and_swept(world, evidence_dir):
    ef.evidence(world.officer_a, b"kept")
    stray = storage.SpooledUpload.from_stream(io.BytesIO(b"never recorded"))
    storage.store(stray)  # stored, then the process died before the row was written
    incoming = Path(storage.temp_dir()) / "zhifa-evidence-left"
    incoming.write_bytes(b"half an upload")
    report = verification.verify()
    assert report.ok
    assert any("没有对应的证据登记" in w for w in report.warnings)
    assert any("未完成上传" in w for w in report.warnings)
    out = io.StringIO()
    call_command("evidence", "sweep", stdout=out)
    assert "没有登记记录" in out.getvalue() and "未完成上传" in out.getvalue()
    call_command("evidence", "sweep", "--remove", "--min-age", "0", stdout=io.StringIO())
    assert not incoming.exists()
    left = storage.orphans(set(Evidence.objects.values_list("storage_key", flat=True)))
    assert left == {"incoming": [], "unrecorded": []}
    assert verification.verify().ok

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.evidence.models import Evidence, EvidenceAccess


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_get_list_and_access_log_from_the_command_line(case_number, world, tmp_path):
    source = tmp_path / "询问录音.wav"
    source.write_bytes(b"RIFF....WAVEfmt " + bytes(5000))
    out = run("evidence", "--as", "officer_a", "add", str(source), "--case", case_number, "--title", "询问录音",
              "--kind", "audiovisual", "--stage", "investigation", "--proves", "当事人陈述", "--captured-at", "2026-11-20 10:30",
              "--place", "会议室")
    e = Evidence.objects.get()
    assert e.number in out and e.media_type == "audio/x-wav" and "音像" in e.number
    assert e.sm3 == hashlib.new("sm3", source.read_bytes()).hexdigest()
    assert e.number in run("evidence", "--as", "officer_a", "list", "--case", case_number)
    target = tmp_path / "out.wav"
    run("evidence", "--as", "head_a", "get", e.number, str(target), "--reason", "审批")
    assert target.read_bytes() == source.read_bytes()
    assert EvidenceAccess.objects.get().channel == "cli"
    assert "审批" in run("evidence", "--as", "sup_city", "access-log")
    with pytest.raises(CommandError, match="调阅记录仅对"):
        run("evidence", "--as", "officer_a", "access-log")
    with pytest.raises(CommandError, match="无权调阅"):
        run("evidence", "--as", "officer_other", "get", e.number, str(target))


def test_bad_input_is_a_chinese_command_error(case_number, world, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("evidence", "--as", "officer_a", "add", str(tmp_path / "none"), "--case", "x", "--title", "t", "--kind",
            "physical", "--stage", "filing", "--proves", "p", "--captured-at", "2026-11-20 10:30", "--place", "p")
    (tmp_path / "a.jpg").write_bytes(b"jpg")
    with pytest.raises(CommandError, match="采集时间格式"):
        run("evidence", "--as", "officer_a", "add", str(tmp_path / "a.jpg"), "--case", "x", "--title", "t", "--kind",
            "physical", "--stage", "filing", "--proves", "p", "--captured-at", "昨天", "--place", "p")
    with pytest.raises(CommandError, match="只能登记到本执法主体的案件"):
        run("evidence", "--as", "officer_a", "add", str(tmp_path / "a.jpg"), "--case", "x", "--title", "t", "--kind",
            "physical", "--stage", "filing", "--proves", "p", "--captured-at", "2026-11-20 10:30", "--place", "p")
    with pytest.raises(CommandError, match="只能登记到本执法主体的案件"):  # another agency's officer, a real case number
        run("evidence", "--as", "officer_other", "add", str(tmp_path / "a.jpg"), "--case", case_number, "--title", "t", "--kind",
            "physical", "--stage", "filing", "--proves", "p", "--captured-at", "2026-11-20 10:30", "--place", "p")
    with pytest.raises(CommandError, match="有效的行政执法证件"):
        run("evidence", "--as", "head_a", "add", str(tmp_path / "a.jpg"), "--case", case_number, "--title", "t", "--kind",
            "physical", "--stage", "filing", "--proves", "p", "--captured-at", "2026-11-20 10:30", "--place", "p")
    assert not Evidence.objects.exists()

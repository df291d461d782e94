"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

declare("evidence.recorded", "登记证据", "number case kind title stage sha256 sm3 size storage_key captured_at")
declare("evidence.accessed", "调阅证据", "evidence number person action channel reason")

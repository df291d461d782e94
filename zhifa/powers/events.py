"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

declare("powers.item.saved", "维护权责清单事项", "list code name fields version active note")

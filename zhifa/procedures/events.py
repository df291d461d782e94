"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

declare("procedures.definition.published", "发布执法程序", "code name version digest")

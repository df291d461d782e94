"""The Jinja2 row fragments' helpers answer as Django's template tags do."""

import datetime as dt

import jinja2
import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from zhifa.core import jinja


@pytest.mark.parametrize("name, args", [("person-detail", (1,)), ("case-detail", (98765,)), ("ledger-event", (0,)),
                                        ("publication-detail", (12,)), ("evidence-detail", (3,)), ("case-list", ())])
def test_url_is_reverse(name, args):
    assert jinja.url(name, *args) == reverse(name, args=args)


def test_url_with_a_non_integer_argument_falls_back_to_reverse():
    token = "abc123"
    assert jinja.url("public-officer", token) == reverse("public-officer", args=[token])


def test_dates_are_local_and_in_django_format():
    moment = dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.timezone.utc)  # 2026-03-02 00:30 in Asia/Shanghai
    assert jinja.date(moment, "Y-m-d H:i") == "2026-03-02 00:30"
    assert jinja.date(dt.date(2026, 2, 28)) == "2026-02-28"
    assert jinja.date(None) == ""
    assert jinja.date(timezone.now(), "Y") == str(timezone.localdate().year)


def test_fragments_escape_and_refuse_unknown_names():
    env = engines["jinja2"].env
    assert env.from_string("{{ v }}").render(v="<script>") == "&lt;script&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing.name }}").render()
    assert env.from_string("{{ n|filesizeformat }}").render(n=2048) == "2.0\xa0KB"


@pytest.mark.parametrize("fmt", ["Y-m-d", "Y-m-d H:i", "Y-m-d H:i:s"])
def test_direct_date_formats_write_what_django_writes(fmt):
    from django.utils import dateformat

    values = [dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), dt.datetime(999, 12, 31, 23, 59, 59), dt.datetime(2026, 11, 24, 16, 0)]
    for value in values:
        shown = timezone.localtime(value) if value.tzinfo else value
        assert jinja.date(value, fmt) == dateformat.format(shown, fmt)
    assert jinja.date(dt.date(5, 3, 9)) == dateformat.format(dt.date(5, 3, 9), "Y-m-d") == "0005-03-09"

"""The server-sent-events stream: what may be pushed, for the agencies in the person's view, resumable by
Last-Event-ID; and the 实时动态 page that listens to it."""

import json

from zhifa.ledger.models import LedgerEvent
from zhifa.workflow.alerts import raise_alert


def streamed(client, **headers) -> list[dict]:
    response = client.get("/events/stream/?once=1", **headers)
    assert response["Content-Type"].startswith("text/event-stream")
    text = b"".join(response.streaming_content).decode()
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]


def test_a_supervisor_sees_the_events_of_the_region_and_no_other(client, world):
    start = LedgerEvent.objects.order_by("-seq").first().seq
    raise_alert(code="deadline_overdue", key="a", agency_id=world.city_a.pk, title="嘉兴的案件超期", recipients=[world.officer_a])
    raise_alert(code="deadline_overdue", key="b", agency_id=world.other_city.pk, title="湖州的案件超期")
    client.force_login(world.city_supervisor)
    got = streamed(client, HTTP_LAST_EVENT_ID=str(start))
    assert [e["data"]["title"] for e in got] == ["嘉兴的案件超期"]
    assert got[0]["agency"] == world.city_a.short_name and "recipients" not in got[0]["data"]
    assert streamed(client, HTTP_LAST_EVENT_ID=str(got[0]["seq"])) == []  # resumed after what it had
    client.force_login(world.province_supervisor)
    assert len(streamed(client, HTTP_LAST_EVENT_ID=str(start))) == 2
    client.force_login(world.officer_other)
    assert [e["data"]["title"] for e in streamed(client, HTTP_LAST_EVENT_ID=str(start))] == ["湖州的案件超期"]


def test_a_new_connection_starts_from_now_and_strangers_get_nothing(client, world):
    raise_alert(code="x", key="old", agency_id=world.city_a.pk, title="旧的")
    client.force_login(world.head_a)
    assert streamed(client) == []
    assert streamed(client, HTTP_LAST_EVENT_ID="not-a-number") == []
    client.logout()
    assert client.get("/events/stream/").status_code == 302


def test_the_live_page_lists_recent_alerts_in_scope(client, world):
    raise_alert(code="x", key="c", agency_id=world.city_a.pk, title="嘉兴预警", link="/cases/")
    raise_alert(code="x", key="d", agency_id=world.other_city.pk, title="湖州预警")
    client.force_login(world.city_supervisor)
    page = client.get("/live/").content.decode()
    assert "嘉兴预警" in page and "湖州预警" not in page and "live.js" in page

"""查封扣押: the on-site step needs a full audio-video recording; the 30-day period is extended once by the head."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa import workdays
from zhifa.cases import services
from zhifa.cases.tests.factories import team
from zhifa.documents.tests.factories import PARTY, make_document
from zhifa.evidence.tests import factories as ef


def test_seizure_needs_a_recording_and_allows_one_extension(world):
    partner = team(world)
    case = services.open_case(world.officer_a, procedure_code="coercion_seizure", title="涉嫌非法储存危险化学品查封案",
                              source="complaint", parties=[PARTY], officers=[partner])
    make_document(world.officer_a, case, "seizure_approval")
    case = services.move_case(world.officer_a, case, to="enforcement")
    for doc in ("seizure_decision", "seizure_record", "property_list"):
        make_document(world.officer_a, case, doc, serve="direct" if doc == "seizure_decision" else None)
    with pytest.raises(ValidationError, match="全程音像记录"):
        services.move_case(world.officer_a, case, to="custody")
    ef.evidence(world.officer_a, b"photo", case=case)  # a photo is not an audio-video record
    with pytest.raises(ValidationError, match="全程音像记录"):
        services.move_case(world.officer_a, case, to="custody")
    ef.evidence(world.officer_a, b"old video", name="旧录像.mp4", media_type="video/mp4", case=case)  # 2 h before the step
    with pytest.raises(ValidationError, match="全程音像记录"):
        services.move_case(world.officer_a, case, to="custody")
    ef.evidence(world.officer_a, b"video", name="执法记录仪.mp4", media_type="video/mp4", case=case, captured_at=timezone.now())
    case = services.move_case(world.officer_a, case, to="custody")
    period = case.deadlines.get(code="seizure_period")
    assert period.due_date == workdays.add_days(period.start_date, 30, roll_forward=False).date
    with pytest.raises(PermissionDenied, match="机关负责人"):
        services.extend_deadline(world.officer_a, case, code="seizure_period", reason="需检测")
    extended = services.extend_deadline(world.head_a, case, code="seizure_period", reason="案情复杂，需委托检测机构检测")
    assert (extended.due_date - period.due_date).days == 30
    with pytest.raises(ValidationError, match="已延长过一次"):
        services.extend_deadline(world.head_a, case, code="seizure_period", reason="再延")

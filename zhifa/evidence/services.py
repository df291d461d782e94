"""Every write to evidence: recording a file with its metadata, and logging each look at it."""

import datetime
import mimetypes
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import numbering
from zhifa.core.errors import require
from zhifa.core.roles import Role
from zhifa.core.text import require_plain
from zhifa.ledger import services as ledger
from zhifa.org.models import Person

from . import storage
from .models import AUDIO_VIDEO_CODE, OTHER_CODE, AccessAction, AccessChannel, Evidence, EvidenceAccess
from .selectors import may_view

RECORD_FIELDS = (
    "number agency case case_number title kind stage proves captured_at place collector recorded_by recorded_at "
    "original_name media_type size sm3 sha256 storage_key note"
).split()
ACCESS_FIELDS = "evidence person action channel reason at ip user_agent".split()
EARLIEST_CAPTURE = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
CLOCK_SKEW = datetime.timedelta(minutes=10)


def may_record(actor) -> bool:
    return bool(
        actor.is_authenticated
        and actor.agency_id
        and (actor.has_role(Role.OFFICER) or actor.has_role(Role.HEAD))
    )


def _check_collector(collector, agency, captured_at) -> None:
    if not isinstance(collector, Person) or collector.agency_id != agency.pk or not collector.is_active:
        raise ValidationError({"collector": "采集人必须是本执法主体的在职人员。"})
    day = timezone.localtime(captured_at).date() if captured_at else timezone.localdate()
    if not any(c.effective_status(day)[0] == "valid" for c in collector.credentials.all()):
        raise ValidationError({"collector": f"{collector.full_name}在采集之日没有有效的行政执法证件，不能作为采集人。"})


def case_of_own_agency(actor, case_number: str):
    """The case an officer names by its number: it must exist and belong to the officer's own agency.
    (The API, the CLI and the form take a number; another agency's case is refused like a missing one.)"""
    from zhifa.cases.models import Case

    number = (case_number or "").strip()
    case = Case.objects.filter(number=number, agency_id=getattr(actor, "agency_id", None)).first() if number else None
    if case is None:
        raise ValidationError({"case_number": f"本执法主体没有编号为“{number[:60]}”的案件，证据只能登记到本执法主体的案件。"})
    return case


def _clean_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip().replace("\x00", "")
    return name[:255] or "未命名文件"


def record_evidence(
    actor,
    *,
    upload: storage.SpooledUpload,
    case_number: str,
    title: str,
    kind: str,
    stage: str,
    proves: str,
    captured_at,
    place: str,
    collector,
    note: str = "",
    case=None,
) -> Evidence:
    """登记证据: validate everything, store the file by content hash, then record it in one transaction."""
    try:
        require(may_record(actor), "只有执法人员可以登记证据。")
        require_plain(title=title, place=place, proves=proves, note=note, case_number=case_number, file=upload.name)
        agency = actor.agency
        if case is not None:
            if case.agency_id != agency.pk:
                raise ValidationError({"case": "只能向本执法主体的案件登记证据。"})
            case_number = case.number
        now = timezone.now().replace(microsecond=0)
        if captured_at is not None:
            if timezone.is_naive(captured_at):
                captured_at = timezone.make_aware(captured_at)
            captured_at = captured_at.replace(microsecond=0)
            if captured_at > now + CLOCK_SKEW:
                raise ValidationError({"captured_at": "采集时间不能晚于当前时间。"})
            if captured_at < EARLIEST_CAPTURE:
                raise ValidationError({"captured_at": "采集时间不能早于 2000 年。"})
        if upload.hashes.size == 0:
            raise ValidationError({"file": "上传的文件为空。"})
        name = _clean_name(upload.name)
        media_type = (upload.media_type or mimetypes.guess_type(name)[0] or "application/octet-stream")[:100]
        evidence = Evidence(
            agency=agency,
            case=case,
            case_number=(case_number or "").strip(),
            title=(title or "").strip(),
            kind=kind,
            stage=stage,
            proves=(proves or "").strip(),
            captured_at=captured_at,
            place=(place or "").strip(),
            collector=collector if isinstance(collector, Person) else None,
            recorded_by=actor,
            recorded_at=now,
            original_name=name,
            media_type=media_type,
            size=upload.hashes.size,
            sm3=upload.hashes.sm3_hex,
            sha256=upload.hashes.sha256_hex,
            storage_key=storage.content_key(upload.hashes.sm3_hex),
            note=(note or "").strip(),
        )
        evidence.full_clean(exclude=["number", "collector"])
        _check_collector(collector, agency, captured_at)
    except BaseException:
        upload.discard()
        raise
    key, newly_stored = storage.store(upload)
    try:
        with transaction.atomic():
            code = AUDIO_VIDEO_CODE if evidence.is_audio_video else OTHER_CODE
            evidence.number = numbering.next_number(
                agency_id=agency.pk, prefix=agency.short_name, type_code=code, year=timezone.localdate().year
            )
            evidence.save()
            ledger.append("evidence.recorded", actor=actor, obj=evidence, data=ledger.snapshot(evidence, RECORD_FIELDS))
    except BaseException:
        if newly_stored:
            storage.remove(key)
        raise
    return evidence


@transaction.atomic
def record_access(
    actor,
    evidence: Evidence,
    *,
    action: str,
    channel: str,
    reason: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> EvidenceAccess:
    """调阅: every view or download leaves a row and a ledger event before anything is shown."""
    require(may_view(actor, evidence), "您无权调阅该证据。")
    if action not in AccessAction.values or channel not in AccessChannel.values:
        raise ValidationError("调阅方式无效。")
    access = EvidenceAccess(
        evidence=evidence,
        person=actor,
        action=action,
        channel=channel,
        reason=(reason or "").strip()[:200],
        at=timezone.now(),
        ip=ip or None,
        user_agent=(user_agent or "")[:200],
    )
    access.save()
    ledger.append(
        "evidence.accessed",
        actor=actor,
        obj=access,
        agency_id=evidence.agency_id,
        data={**ledger.snapshot(access, ACCESS_FIELDS), "number": evidence.number},
    )
    return access

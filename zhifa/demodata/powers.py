"""Demo 事前公开 lists for 嘉兴市应急管理局."""

from zhifa.org.models import Agency, Person
from zhifa.powers import services
from zhifa.powers.models import PublicItem

POWERS = [
    ("330400-CF-001", "对未按规定储存危险化学品的行政处罚", {"category": "行政处罚", "basis": "《危险化学品安全管理条例》第八十条第一款第三项",
     "responsibility": "立案、调查取证、告知、决定、送达、执行等", "accountability": "因不履行或不正确履行职责，造成危害后果的", "department": "执法支队", "procedure": "penalty_general"}),
    ("330400-QZ-002", "查封、扣押违法储存的危险化学品", {"category": "行政强制", "basis": "《中华人民共和国安全生产法》第六十五条第一款第四项",
     "responsibility": "报批、实施、保管、处理", "accountability": "违法实施查封扣押的", "department": "执法支队", "procedure": "coercion_seizure"}),
    ("330400-XK-003", "危险化学品经营许可证核发", {"category": "行政许可", "basis": "《危险化学品安全管理条例》第三十三条",
     "responsibility": "受理、审查、决定、送达", "accountability": "对不符合条件的申请准予许可的", "department": "行政审批科", "procedure": "permit"}),
]
INSPECTIONS = [
    ("330400-SC-001", "危险化学品经营企业安全生产条件检查", {"category": "一般检查事项", "basis": "《中华人民共和国安全生产法》第六十五条",
     "targets": "辖区内危险化学品经营企业", "method": "现场检查、查阅资料", "ratio": "每年不低于 5%", "department": "执法支队"}),
]
GUIDES = [
    ("330400-XK-003", "危险化学品经营许可证核发服务指南", {"basis": "《危险化学品安全管理条例》第三十三条至第三十五条",
     "accepting_body": "嘉兴市民中心应急管理窗口", "approving_body": "嘉兴市应急管理局", "conditions": "有符合国家标准、行业标准的经营场所和储存设施；从业人员经专业技术培训合格；有健全的安全管理规章制度",
     "materials": "1. 申请书；2. 经营和储存场所、设施证明材料；3. 安全管理制度；4. 从业人员培训合格证明", "process": "申请 → 受理（材料不全的一次性告知补正）→ 审查（现场核查）→ 决定 → 颁发证件",
     "time_limit": "自受理之日起二十个工作日内作出决定；作出准予决定之日起十个工作日内颁发证件", "fees": "不收费", "supervision": "嘉兴市司法局行政执法监督电话 0573-82520000",
     "accountability": "工作人员违反规定的，依法追究责任", "remedies": "对决定不服的，可依法申请行政复议或提起行政诉讼", "office_hours": "工作日 9:00-12:00，13:30-17:00",
     "address": "嘉兴市南湖区广场路 1 号市民中心", "phone": "0573-82000000"}),
]


def seed_powers() -> int:
    agency = Agency.objects.filter(short_name="嘉应急").first()
    admin = Person.objects.filter(username="admin").first()
    if agency is None or admin is None or PublicItem.objects.exists():
        return 0
    for kind, items in (("powers", POWERS), ("inspections", INSPECTIONS), ("guides", GUIDES)):
        for code, name, fields in items:
            services.save_item(admin, agency, list_kind=kind, code=code, name=name, fields=fields, note="首次公开")
    return PublicItem.objects.count()

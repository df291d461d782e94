from django.core.management.base import BaseCommand

from zhifa.org.models import Agency
from zhifa.org.selectors import staffing_report


class Command(BaseCommand):
    help = "检查各执法主体法制审核人员是否不少于执法人员的5%；有不达标的主体时以非零状态退出。"

    def handle(self, *args, **options):
        short = 0
        for agency in Agency.objects.filter(is_active=True):
            r = staffing_report(agency)
            flag = "达标" if r["ok"] else "不足"
            short += not r["ok"]
            self.stdout.write(f"{flag}\t{agency.name}\t执法人员 {r['officers']}\t审核人员 {r['reviewers']}\t{r['message']}")
        if short:
            self.stderr.write(f"{short} 个执法主体法制审核人员配备不足。")
            raise SystemExit(1)

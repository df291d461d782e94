from django.core.management.base import BaseCommand

from zhifa.demodata.cases import seed_cases
from zhifa.demodata.evidence import seed_evidence
from zhifa.demodata.inspections import seed_inspections
from zhifa.demodata.org import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from zhifa.demodata.powers import seed_powers
from zhifa.org.models import Person
from zhifa.procedures.services import publish_bundled


class Command(BaseCommand):
    help = "写入演示数据（浙江省、嘉兴市及所辖县的执法主体、人员、执法证件和证据）；已有数据时不重复写入。"

    def handle(self, *args, **options):
        import datetime

        import time_machine
        from django.utils import timezone

        from zhifa.ledger import services as ledger

        # The demo history is replayed over the last four months, the clock only moving forward (the ledger
        # refuses a head dated before what it covers): agencies and people first, then each case as it happened.
        real_now = timezone.now()
        with time_machine.travel(real_now - datetime.timedelta(days=120), tick=True) as clock:
            result = seed_demo(today=timezone.localdate(real_now))
            if not result["created"]:
                self.stdout.write("数据库中已有执法主体，未写入演示数据。")
                return
            publish_bundled(Person.objects.get(username="admin"))
            case_count = seed_cases(clock, real_now)
            evidence = 3 if case_count else seed_evidence()
            seed_powers()
            ledger.sign_tree_head()
        plans = seed_inspections()  # today, as the 双随机 round under way is
        from zhifa.supervision.services import run_models

        clues = run_models()["new"]  # what the hourly problem models would find in this history
        # The demo passwords are handed out today: dated four months back they would all have expired
        # (ZHIFA_PASSWORD_MAX_DAYS) and every demo sign-in would start on the password page.
        from zhifa.org.models import PasswordHistory

        PasswordHistory.objects.update(changed_at=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入演示数据：执法主体 {result['agencies']} 个，人员 {result['people']} 名，"
                f"执法证件 {result['credentials']} 本，证据 {evidence} 件，案件 {case_count} 件，双随机抽查计划 {plans} 个，监督线索 {clues} 条。"
            )
        )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：admin（系统管理员）、" + "、".join(u for u, *_ in DEMO_ACCOUNTS))

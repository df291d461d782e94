"""The Content-Security-Policy (docs/security.md) in Debian chromium: every page a person opens loads without a
single violation, so nothing on them relies on inline script or style; and the watcher does see a violation."""

import pytest

from zhifa.cases.tests.factories import open_penalty, team
from zhifa.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def visit(page, url, console):
    answer = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert answer.status < 400, url
    assert "default-src 'self'" in answer.headers.get("content-security-policy", ""), url
    found = page.evaluate("window.__csp") + [m for m in console if "Content Security Policy" in m]
    console.clear()
    return found


def test_pages_load_without_violating_the_policy(world, live_server, page):
    from django.utils import timezone

    from zhifa.publicity import services as publicity

    case = open_penalty(world, team(world))
    report = publicity.generate_annual_report(world.head_a, world.city_a, timezone.localdate().year - 1)
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script(WATCH)
    base = live_server.url
    public = ["/gs/", "/gs/decisions/", "/gs/agencies/", "/gs/officers/", "/gs/procedures/", f"/gs/annual/{report.pk}/", "/login/"]
    problems = {url: v for url in public if (v := visit(page, base + url, console))}
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    staff = ["/", "/cases/", f"/cases/{case.pk}/", "/review/", "/evidence/", "/org/agencies/", "/org/people/",
             f"/org/people/{world.officer_a.pk}/", "/org/credentials/", "/org/logins/", "/org/password/", "/org/account/", "/publicity/",
             "/ledger/", "/ledger/events/1/", "/calendar/", "/calendar/deadline/", "/cases/deadlines/", "/admin/",
             "/notifications/", "/notifications/settings/", "/webhooks/", "/approvals/", "/jobs/", "/live/"]
    problems.update({url: v for url in staff if (v := visit(page, base + url, console))})
    assert problems == {}
    page.goto(f"{base}/gs/annual/{report.pk}/")  # the charts are drawn from the script file
    page.locator("#chart-category canvas").wait_for()


def test_the_watcher_sees_an_inline_style(world, live_server, page):
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/gs/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
    page.wait_for_timeout(200)
    assert any(v.startswith("style-src") for v in page.evaluate("window.__csp"))

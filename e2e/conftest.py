import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def browser_context_args(pytestconfig, playwright, device, base_url, _pw_artifacts_folder):
    # pytest-playwright's own (session-scoped) version, per module with playwright below, plus locale and size.
    args = dict(playwright.devices[device]) if device else {}
    if base_url:
        args["base_url"] = base_url
    if pytestconfig.getoption("--video") in ("on", "retain-on-failure"):
        args["record_video_dir"] = _pw_artifacts_folder.name
    return {**args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


# Playwright's sync API keeps an event loop running in the test thread while it is started. pytest-playwright
# starts it once per session, so under pytest-xdist every test a worker runs after its first browser test would
# find a running loop (pyHanko's signing calls asyncio.run and fails). Starting it per module stops the loop when
# a browser module ends; a chromium launch per module costs about a second.
@pytest.fixture(scope="module")
def playwright(_pw_api_request_contexts):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()

"""JupyterHub for a cohort: two apprentices, each with the gallery and a case folder of their own.

Starts JupyterHub with ``deploy/jupyterhub_config.py`` on 127.0.0.1 (shared-password
login, one local process per user, homes under a temporary folder), logs in two
users through the login form, starts their servers, opens the Voilà gallery for
each through the hub, saves a case for one with the workbook's own code in that
user's environment, and checks the other can neither list, find nor fetch it.
Everything it starts is stopped in ``finally`` (``deploy/localhub.py``).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import CHART, Visit

from stp_helpers import paths

DEPLOY = paths.REPO_ROOT / "deploy"
_spec = importlib.util.spec_from_file_location("stp_localhub", DEPLOY / "localhub.py")
localhub = importlib.util.module_from_spec(_spec)
sys.modules["stp_localhub"] = localhub
_spec.loader.exec_module(localhub)

GALLERY_TITLE = "stp-workbook: systems thinking methods for practitioners"
TEMPLATE_MARK = "stp-offline-skipped"  # only the workbook's Voilà template 'stp' writes this
STP = str(Path(sys.executable).parent / "stp")


def _prerequisites() -> None:
    assert importlib.util.find_spec("jupyterhub"), (
        "jupyterhub is missing: .venv/bin/uv pip install --python .venv/bin/python jupyterhub")
    chp = paths.REPO_ROOT / "deploy" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
    assert chp.exists() or shutil.which("configurable-http-proxy"), (
        "configurable-http-proxy is missing: npm ci --prefix deploy/proxy (scripts/test does it)")


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _list_cases(env: dict[str, str], cwd: Path) -> list[str]:
    code = "from stp_helpers import case; print('\\n'.join(case.list_cases()))"
    done = _run([sys.executable, "-c", code], env, cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.browser
def test_two_apprentices_each_get_the_gallery_and_keep_their_cases_apart(tmp_path: Path, visit: Visit) -> None:
    _prerequisites()
    started = time.monotonic()
    with localhub.running_hub(tmp_path / "hub", users=("ada", "ben"), limit=420) as hub:
        # A wrong password is refused.
        with pytest.raises(RuntimeError, match="login of ada failed"):
            hub.login("ada", password="not-the-password")
        sessions = {user: hub.login(user) for user in ("ada", "ben")}
        for user, session in sessions.items():
            hub.start_server(session, user)

        # The gallery, through the hub, for each user: their own copy, the offline template.
        for user, session in sessions.items():
            page = hub.fetch(session, hub.gallery_url(user), seconds=180)
            assert page.status_code == 200, (user, page.status_code, page.url)
            assert page.url == hub.gallery_url(user)
            assert GALLERY_TITLE in page.text
            assert TEMPLATE_MARK in page.text, "the Voilà extension did not use the 'stp' template"
            assert not re.search(r'<(link|script)[^>]+(href|src)="https?://', page.text), "page needs the network"
            assert (hub.home(user) / "workbook" / "index.ipynb").is_file()
            assert (hub.home(user) / "my-cases").is_dir()  # STP_DATA made by the server's settings
            lab = hub.fetch(session, f"{hub.base}/user/{user}/lab", seconds=60)
            assert lab.status_code == 200 and "JupyterLab" in lab.text

        # In Chromium with the internet cut off: Ada logs in and her gallery draws its chart.
        gallery_path = hub.gallery_url("ada").removeprefix(hub.base)
        visit.page.goto(f"{hub.base}/hub/login?next={quote(gallery_path, safe='')}", timeout=60_000)
        visit.page.fill("#username_input", "ada")
        visit.page.fill("#password_input", hub.password)
        visit.page.click("#login_submit")
        visit.page.wait_for_url(hub.gallery_url("ada"), timeout=120_000)
        visit.page.wait_for_selector(CHART, timeout=120_000)
        visit.page.wait_for_load_state("networkidle", timeout=60_000)
        assert visit.external == [] and visit.failed == [], (visit.external, visit.failed)

        # Ada saves a case with the workbook's own code, in her environment.
        ada_env, ben_env = hub.user_env("ada"), hub.user_env("ben")
        made = _run([STP, "new-case", "ada-private"], ada_env, hub.home("ada"))
        assert made.returncode == 0, made.stdout + made.stderr
        note = ("from stp_helpers import case; "
                "case.save_text(case.find('ada-private'), 'notes.md', 'Only Ada reads this.')")
        saved = _run([sys.executable, "-c", note], ada_env, hub.home("ada"))
        assert saved.returncode == 0, saved.stderr
        secret = hub.home("ada") / "my-cases" / "ada-private" / "notes.md"
        assert secret.read_text(encoding="utf-8") == "Only Ada reads this."
        assert "ada-private" in _list_cases(ada_env, hub.home("ada"))
        assert _run([STP, "check-case", "ada-private"], ada_env, hub.home("ada")).returncode in (0, 1)

        # Ben's environment neither lists nor finds it; his own case folder stays empty.
        assert "ada-private" not in _list_cases(ben_env, hub.home("ben"))
        shipped = sorted(p.name for p in paths.shipped_cases_dir().iterdir() if (p / "case.yaml").exists())
        assert _list_cases(ben_env, hub.home("ben")) == shipped  # only the shipped cases
        check = _run([STP, "check-case", "ada-private"], ben_env, hub.home("ben"))
        assert check.returncode == 1 and "There is no case 'ada-private'" in check.stdout + check.stderr
        assert list((hub.home("ben") / "my-cases").iterdir()) == []

        # Through the hub, Ada reads her file; Ben can neither read, change nor delete it.
        contents = "api/contents/my-cases/ada-private/notes.md"
        own = sessions["ada"].get(f"{hub.base}/user/ada/{contents}", timeout=30)
        assert own.status_code == 200 and own.json()["content"] == "Only Ada reads this."
        raw = sessions["ada"].get(f"{hub.base}/user/ada/files/my-cases/ada-private/notes.md", timeout=30)
        assert raw.status_code == 200 and raw.text == "Only Ada reads this."
        ben = sessions["ben"]
        xsrf = {"X-XSRFToken": localhub.xsrf(ben, "/user/ben/") or localhub.xsrf(ben, "/hub/")}
        ada_server = sessions["ada"].get(f"{hub.base}/hub/api/users/ada", timeout=30).json()["servers"][""]
        for method, url in [
            ("GET", f"{hub.base}/user/ada/{contents}"),
            ("GET", f"{hub.base}/user/ada/files/my-cases/ada-private/notes.md"),
            ("GET", hub.gallery_url("ada")),
            ("PUT", f"{hub.base}/user/ada/{contents}"),
            ("DELETE", f"{hub.base}/user/ada/{contents}"),
            ("GET", f"{hub.base}/hub/api/users/ada"),
            ("DELETE", f"{hub.base}/hub/api/users/ada/server"),
        ]:
            body = {"type": "file", "format": "text", "content": "Ben was here."} if method == "PUT" else None
            token = localhub.xsrf(ben, "/hub/") if "/hub/" in url else xsrf["X-XSRFToken"]
            reply = ben.request(method, url, json=body, headers={"X-XSRFToken": token}, timeout=30)
            assert reply.status_code in (403, 404), (method, url, reply.status_code, reply.url)
            assert "Only Ada reads this." not in reply.text
        assert secret.read_text(encoding="utf-8") == "Only Ada reads this."
        still = sessions["ada"].get(f"{hub.base}/hub/api/users/ada", timeout=30).json()["servers"][""]
        assert still["ready"] and still["started"] == ada_server["started"]  # Ben did not stop it
    assert time.monotonic() - started < 420

"""The class page without a kernel, under the workbook's server in classroom mode with a teacher's and a class's token.

Roles are checked over HTTP (a student's token never reaches a teacher's
address), then a teacher and two students take a lesson in Chromium.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from stp_helpers.classroom.store import default_store
from stp_helpers.widgets.practice import GIBBS

STUDENT, TEACHER = "class-token-0123456789", "teacher-token-9876543210"
LESSON = "behaviour-mode"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def progress(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The class server's progress folder (``STP_PROGRESS``)."""
    return tmp_path_factory.mktemp("progress")


@pytest.fixture(scope="module")
def class_server(tmp_path_factory: pytest.TempPathFactory, progress: Path) -> Iterator[str]:
    """The workbook's Voilà with two tokens, as ``stp serve --classroom`` runs it (on 127.0.0.1)."""
    from stp_helpers.cli import voila_command, voila_env

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("class") / "voila.log"
    env = {**voila_env(), "STP_CLASSROOM": "1", "STP_PROGRESS": str(progress)}
    with open(log, "w") as handle:
        proc = subprocess.Popen(voila_command(port, token=STUDENT, teacher_token=TEACHER), env=env,
                                stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            assert proc.poll() is None, f"Voilà exited: {log.read_text()}"
            assert time.monotonic() < deadline, f"Voilà did not answer within 90 s: {log.read_text()}"
            try:
                urllib.request.urlopen(base + "/stp/class/static/class.js", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def fetch(url: str, *, data: dict | None = None, jar: CookieJar | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar if jar is not None else CookieJar()))
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with opener.open(request, timeout=120) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_a_student_token_never_reaches_the_teachers_addresses(class_server: str) -> None:
    page = f"{class_server}/stp/class/{LESSON}"
    default_store().new_run(LESSON)
    status, text = fetch(f"{page}?token={STUDENT}")
    assert status == 200 and "<title>Predict how a population grows</title>" in text
    assert STUDENT not in text and TEACHER not in text, "the page never shows a token"
    for address in ("board", "export.csv"):
        assert fetch(f"{page}/{address}?token={STUDENT}")[0] == 403
        assert fetch(f"{page}/{address}")[0] == 403  # nor with no token at all
        assert fetch(f"{page}/{address}?token=wrong")[0] == 403
        assert fetch(f"{page}/{address}?token={TEACHER}")[0] == 200
    # a student signed in by cookie is still a student; a post needs the xsrf cookie's value too
    jar = CookieJar()
    fetch(f"{page}?token={STUDENT}", jar=jar)
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    assert fetch(f"{page}/stage", data={"action": "next"}, jar=jar, headers={"X-XSRFToken": xsrf})[0] == 403
    assert fetch(f"{page}/stage", data={"action": "next"}, jar=jar)[0] == 403  # no xsrf value
    assert default_store().stage(LESSON) == 1
    assert fetch(f"{page}/state?student={'a' * 32}")[0] == 403  # no token: nothing about the class
    assert fetch(f"{class_server}/voila/render/teaching/teacher.ipynb?token={STUDENT}")[0] == 403
    # the teacher moves the class; an answer to the closed stage is refused by the server
    teacher = CookieJar()
    fetch(f"{page}?token={TEACHER}", jar=teacher)
    t_xsrf = next(c.value for c in teacher if c.name == "_xsrf")
    answer = {"student": "b" * 32, "question": LESSON, "answer": "linear"}
    assert fetch(f"{page}/answer", data=answer, jar=jar, headers={"X-XSRFToken": xsrf})[0] == 200
    assert fetch(f"{page}/answer", data={**answer, "answer": "a typed name"}, jar=jar,
                 headers={"X-XSRFToken": xsrf})[0] == 400
    assert fetch(f"{page}/stage", data={"action": "next"}, jar=teacher, headers={"X-XSRFToken": t_xsrf}) == (
        200, json.dumps({"run": default_store().run(LESSON), "stage": 2}))
    status, text = fetch(f"{page}/answer", data={**answer, "answer": "exponential"}, jar=jar,
                         headers={"X-XSRFToken": xsrf})
    assert status == 409 and "closed when the teacher moved on to stage 2" in text
    assert json.loads(fetch(f"{page}/board?token={TEACHER}")[1])["questions"][LESSON]["counts"] == {"linear": 1}
    export = fetch(f"{page}/export.csv?token={TEACHER}")[1].splitlines()
    assert export[0] == "run,question,answer,at" and export[1].split(",")[1:3] == [LESSON, "linear"]
    assert "b" * 32 not in "\n".join(export)
    default_store().new_run(LESSON)


def kernels(base: str) -> dict[str, int]:
    return json.loads(fetch(f"{base}/stp/ready?token={TEACHER}")[1])["kernels"]


@pytest.mark.browser
def test_a_teacher_and_two_students_on_the_kernel_less_class_page(class_server: str, browser: object,
                                                                  tmp_path: Path) -> None:
    store = default_store()
    store.new_run(LESSON)
    before = kernels(class_server)
    contexts, pages = [], {}

    def open_page(role: str, url: str, width: int = 1280) -> object:
        context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        pages[role] = page
        return page

    try:
        for role in ("ada", "bo"):
            page = open_page(role, f"{class_server}/stp/class/{LESSON}?token={STUDENT}")
            page.get_by_role("heading", name="Stage 1: Predict").wait_for(timeout=30_000)
            assert page.locator("figure svg").count() == 1, "the run so far is drawn, without a kernel"
        assert kernels(class_server) == before, "the class page starts no kernel"
        phone = open_page("phone", f"{class_server}/stp/class/{LESSON}?token={STUDENT}", width=412)
        phone.get_by_role("heading", name="Stage 1: Predict").wait_for(timeout=30_000)
        widths = phone.evaluate("() => [document.documentElement.scrollWidth, "
                                "document.querySelector('figure svg').getBoundingClientRect().width]")
        assert widths[0] <= 412 and 300 < widths[1] <= 412, f"the whole run fits a phone's width: {widths}"
        for role, answer in (("ada", "S-shaped"), ("bo", "exponential")):
            page = pages[role]
            page.get_by_label(answer, exact=True).check()
            page.get_by_role("button", name="Send my answer").click()
            page.get_by_text(f"Sent: {answer}.").wait_for(timeout=30_000)
        # a reload is the same student: the answer is shown again, and sending it again counts once
        pages["ada"].reload(wait_until="domcontentloaded")
        pages["ada"].get_by_text("Sent: S-shaped.").wait_for(timeout=30_000)
        assert pages["ada"].get_by_label("S-shaped", exact=True).is_checked()
        pages["ada"].get_by_role("button", name="Send my answer").click()
        pages["ada"].get_by_text("Sent: S-shaped.").wait_for(timeout=30_000)
        assert store.counts(LESSON, LESSON) == {"S-shaped": 1, "exponential": 1}

        teacher = open_page("teacher", f"{class_server}/voila/render/teaching/teacher.ipynb?token={TEACHER}")
        teacher.get_by_text("2 answers so far: most say").first.wait_for(timeout=180_000)
        teacher.get_by_role("button", name="Next stage").click()
        for role in ("ada", "bo"):
            page = pages[role]
            page.get_by_role("heading", name="Stage 2: The whole run").wait_for(timeout=30_000)
            page.get_by_text("Answers are closed. Yours:").wait_for(timeout=30_000)
            assert page.get_by_role("button", name="Send my answer").is_disabled()
            assert "answers so far" not in page.inner_text("body"), "students do not see the board"
        late = pages["bo"].evaluate(
            """async ([student]) => {
                 const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf=')).slice(6);
                 const r = await fetch(location.pathname + '/answer', {method: 'POST',
                   headers: {'Content-Type': 'application/json', 'X-XSRFToken': decodeURIComponent(xsrf)},
                   body: JSON.stringify({student, question: 'behaviour-mode', answer: 'linear'})});
                 return [r.status, await r.text()]; }""", ["c" * 32])
        assert late[0] == 409, late
        for address in ("board", "export.csv"):  # the student's cookie does not open the teacher's addresses
            status = pages["bo"].evaluate("async (u) => (await fetch(location.pathname + '/' + u)).status", address)
            assert status == 403
        assert store.counts(LESSON, LESSON) == {"S-shaped": 1, "exponential": 1}
        assert len(kernels(class_server)) == len(before) + 1, "only the teacher's page has a kernel"

        teacher.get_by_role("button", name="New lesson").click()
        for role in ("ada", "bo"):
            pages[role].get_by_role("heading", name="Stage 2: The whole run").wait_for(state="detached", timeout=30_000)
            pages[role].get_by_role("heading", name="Stage 1: Predict").wait_for(timeout=30_000)
            assert not pages[role].get_by_label("S-shaped", exact=True).is_disabled()
        assert store.counts(LESSON, LESSON) == {} and [r.answers for r in store.runs(LESSON)][-2:] == [2, 0]
        pages["ada"].screenshot(path=str(tmp_path / "class-page.png"))
    finally:
        for context in contexts:
            context.close()
        store.new_run(LESSON)


@pytest.mark.browser
def test_in_classroom_mode_a_reflection_goes_to_the_browsers_record_not_a_typed_name(
        class_server: str, browser: object, progress: Path) -> None:
    """A student cannot write into another learner's progress file by typing that name."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
        page.goto(f"{class_server}/voila/render/duty07.ipynb?token={STUDENT}", wait_until="domcontentloaded",
                  timeout=180_000)
        save = page.get_by_role("button", name="Save reflection")
        save.wait_for(timeout=180_000)
        assert page.get_by_label("Your name").count() == 0 or not page.get_by_label("Your name").is_visible()
        analysis = page.get_by_placeholder(dict(GIBBS)["Analysis"])  # duty 7 asks for Gibbs' six stages
        analysis.fill("The loops showed me why the fixes failed.")
        analysis.blur()
        save.click()
        page.get_by_text("Saved for this browser (anonymous; duty 7).").wait_for(timeout=60_000)
        browser_id = page.evaluate("() => localStorage.getItem('stp-student-id')")
        assert [p.name for p in progress.glob("*.json")] == [f"browser-{browser_id}.json"]
        assert "fixes failed" in (progress / f"browser-{browser_id}.json").read_text()
    finally:
        context.close()


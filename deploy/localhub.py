"""Start the local JupyterHub of ``deploy/jupyterhub_config.py`` and log users in (tests, benchmarks).

    with running_hub(tmp_path, users=("ada", "ben")) as hub:
        session = hub.login("ada")
        hub.start_server(session, "ada")
        session.get(hub.gallery_url("ada"))

Everything listens on 127.0.0.1 on free ports; leaving the ``with`` block stops
the hub, the proxy, every user's server and their kernels (the processes started
here and their descendants, never anything else), with hard time limits.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
PASSWORD = "stp-cohort-password"
GALLERY = "voila/render/workbook/index.ipynb"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def xsrf(session: requests.Session, path: str) -> str:
    """The _xsrf cookie the hub or a user's server set for ``path`` ("" if none)."""
    return next((c.value for c in session.cookies if c.name == "_xsrf" and c.path == path), "")


@dataclass
class Hub:
    base: str
    homes: Path
    log: Path
    process: subprocess.Popen
    password: str = PASSWORD

    def home(self, user: str) -> Path:
        return self.homes / user

    def user_env(self, user: str) -> dict[str, str]:
        """The environment the user's server gives its kernels (HOME, STP_DATA)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STP_", "JUPYTER"))}
        env.update(HOME=str(self.home(user)), STP_DATA=str(self.home(user) / "my-cases"),
                   STP_CACHE=str(self.home(user) / ".cache" / "stp-workbook"))
        return env

    def gallery_url(self, user: str) -> str:
        return f"{self.base}/user/{user}/{GALLERY}"

    def fetch(self, session: requests.Session, url: str, seconds: float = 180,
              **kwargs: object) -> requests.Response:
        """GET ``url`` reading the whole body within ``seconds`` (a stalled stream raises)."""
        deadline = time.monotonic() + seconds
        reply = session.get(url, stream=True, timeout=min(60, seconds), **kwargs)
        chunks = []
        for chunk in reply.iter_content(chunk_size=65536):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                reply.close()
                raise TimeoutError(f"{url} did not finish within {seconds} s")
        reply._content = b"".join(chunks)
        return reply

    def login(self, user: str, password: str | None = None) -> requests.Session:
        """Log in through the hub's form (with its _xsrf cookie); return the session."""
        session = requests.Session()
        session.get(f"{self.base}/hub/login", timeout=30).raise_for_status()
        form = {"username": user, "password": password or self.password,
                "_xsrf": xsrf(session, "/hub/")}
        reply = session.post(f"{self.base}/hub/login", data=form, allow_redirects=False, timeout=30)
        if reply.status_code != 302:
            raise RuntimeError(f"login of {user} failed: HTTP {reply.status_code}")
        return session

    def start_server(self, session: requests.Session, user: str, timeout: float = 90) -> None:
        """Ask the hub (as the logged-in user) to start their server; wait until it is ready."""
        api = f"{self.base}/hub/api/users/{user}"
        headers = {"X-XSRFToken": xsrf(session, "/hub/")}
        reply = session.post(f"{api}/server", headers=headers, timeout=30)
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"starting {user}'s server: HTTP {reply.status_code} {reply.text}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = session.get(api, headers=headers, timeout=30).json()
            server = (model.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.25)
        raise TimeoutError(f"{user}'s server was not ready within {timeout} s:\n{self.log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen, grace: float = 20) -> None:
    below = descendants(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the hub stops users' servers and its proxy
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    deadline = time.monotonic() + 10
    for pid in below:
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@contextmanager
def running_hub(state: Path, users: Sequence[str] = (), password: str = PASSWORD,
                timeout: float = 60, limit: float = 600) -> Iterator[Hub]:
    """Run JupyterHub with ``deploy/jupyterhub_config.py`` on 127.0.0.1; stop it all afterwards.

    ``timeout`` bounds the start; ``limit`` the whole block: past it, a watchdog stops
    every process started here, so a request left hanging fails instead of waiting forever.
    """
    state = Path(state)
    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STP_", "JUPYTERHUB_"))}
    env.update(STP_HUB_PASSWORD=password, STP_HUB_PORT=str(port), STP_HUB_API_PORT=str(free_port()),
               STP_HUB_PROXY_API_PORT=str(free_port()), STP_HUB_STATE=str(state),
               STP_HUB_HOMES=str(state / "homes"), STP_HUB_USERS=",".join(users),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    log = state / "hub.log"
    with open(log, "w") as handle:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=state,
                                   env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(base=f"http://127.0.0.1:{port}", homes=state / "homes", log=log, process=process,
              password=password)
    watchdog = threading.Timer(limit, _stop, args=(process, 5))
    watchdog.daemon = True
    watchdog.start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited:\n{log.read_text()[-3000:]}")
            try:
                if requests.get(f"{hub.base}/hub/login", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"JupyterHub did not start within {timeout} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield hub
    finally:
        watchdog.cancel()
        _stop(process)

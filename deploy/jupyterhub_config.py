"""JupyterHub on one computer, all users as one system account: for trying out and for the tests.

    STP_HUB_PASSWORD=... jupyterhub -f deploy/jupyterhub_config.py

Every apprentice logs in with a name and the shared password, gets JupyterLab
in ``$STP_HUB_HOMES/<name>`` (their home: the notebooks copied to ``workbook/``,
their cases in ``my-cases/`` = ``STP_DATA``) and the Voilà gallery at
``/user/<name>/voila/render/workbook/index.ipynb``.

This uses JupyterHub's ``SharedPasswordAuthenticator`` (the successor of the
``DummyAuthenticator`` with a password) and ``SimpleLocalProcessSpawner``:
users are kept apart by the hub (nobody can open another's server or files
through it), not by the operating system, since every server runs as the account
that started the hub.  For a real cohort use The Littlest JupyterHub
(``deploy/tljh/``) or Zero to JupyterHub (``deploy/z2jh/``); see ``deploy/README.md``.

Environment (all optional except the password):

    STP_HUB_PASSWORD        the password every user logs in with (required)
    STP_HUB_USERS           comma-separated names allowed in (default: anyone)
    STP_HUB_ADMINS          comma-separated admin names (they log in with STP_HUB_ADMIN_PASSWORD)
    STP_HUB_IP, STP_HUB_PORT           where the hub listens (127.0.0.1 only, 8000)
    STP_HUB_API_PORT, STP_HUB_PROXY_API_PORT   internal ports (8081, 8001)
    STP_HUB_STATE           folder for the hub's database, secret and proxy pid (current folder)
    STP_HUB_HOMES           folder holding one home per user (STP_HUB_STATE/homes)
    STP_SERVER_IDLE_SECONDS stop a user's server after this long idle (3600)
    STP_KERNEL_IDLE_SECONDS stop an idle notebook or app kernel after this long (900)
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 -- provided by JupyterHub's config loader

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("STP_HUB_STATE", "") or Path.cwd()).resolve()
HOMES = Path(os.environ.get("STP_HUB_HOMES", "") or STATE / "homes").resolve()
STATE.mkdir(parents=True, exist_ok=True)
HOMES.mkdir(parents=True, exist_ok=True)


def _names(variable: str) -> set[str]:
    return {n.strip() for n in os.environ.get(variable, "").split(",") if n.strip()}


# --- the hub and its proxy ---
c.JupyterHub.ip = os.environ.get("STP_HUB_IP", "127.0.0.1")
if c.JupyterHub.ip not in ("127.0.0.1", "localhost", "::1"):
    # one shared password and one system account: never for a network (see deploy/README.md, Security)
    raise SystemExit("deploy/jupyterhub_config.py is for this computer only (STP_HUB_IP=127.0.0.1): "
                     "for apprentices use deploy/tljh or deploy/z2jh, which sign each one in.")
c.JupyterHub.port = int(os.environ.get("STP_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("STP_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('STP_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
# The proxy from deploy/proxy (npm ci --prefix deploy/proxy, as scripts/test does), else one on PATH.
_chp = Path(__file__).resolve().parent / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(_chp) if _chp.exists() else shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server
c.JupyterHub.cleanup_proxy = True

# --- who may log in ---
# One shared password (JupyterHub >= 5.3; it replaces DummyAuthenticator's password).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["STP_HUB_PASSWORD"]  # 8 characters or more
if os.environ.get("STP_HUB_ADMIN_PASSWORD"):
    c.SharedPasswordAuthenticator.admin_password = os.environ["STP_HUB_ADMIN_PASSWORD"]  # 32 or more
if _names("STP_HUB_USERS"):
    c.Authenticator.allowed_users = _names("STP_HUB_USERS")
else:
    c.Authenticator.allow_all = True
c.Authenticator.admin_users = _names("STP_HUB_ADMINS")

# --- each user's server: JupyterLab, the Voilà gallery, their own cases ---
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
if os.geteuid() == 0:  # a container or CI runner where everything runs as root
    c.Spawner.args = ["--allow-root"]
c.Spawner.notebook_dir = "~"
c.Spawner.disable_user_config = True  # settings come from deploy/singleuser, not ~/.jupyter
# The Voilà template 'stp' ships inside the package (this is the users' Python environment too).
from stp_helpers.cli import voila_env

_jupyter_path = voila_env({})["JUPYTER_PATH"]
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(HERE / "singleuser"),
    # set here, not only in the server's settings: disable_user_config freezes the path early
    "JUPYTER_PATH": _jupyter_path,
    "STP_DATA": "~/my-cases",
    "STP_WORKBOOK_COPY": "~/workbook",
    "STP_SERVER_IDLE_SECONDS": os.environ.get("STP_SERVER_IDLE_SECONDS", "3600"),
    "STP_KERNEL_IDLE_SECONDS": os.environ.get("STP_KERNEL_IDLE_SECONDS", "900"),
}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90

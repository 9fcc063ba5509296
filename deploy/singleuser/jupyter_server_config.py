"""Settings for each apprentice's Jupyter server: JupyterHub (any flavour) and Binder.

Jupyter reads this file when its folder is on ``JUPYTER_CONFIG_PATH`` (the
JupyterHub settings in ``deploy/`` set that for every user) or when another
config file loads it with ``load_subconfig`` (Binder's ``postBuild`` does).
It runs in the user's own server, as the user, before the server starts:

* puts the workbook's offline Voilà template ``stp`` on ``JUPYTER_PATH`` and makes
  it the template of the Voilà extension, with sources stripped, tracebacks hidden
  and no MathJax from a CDN, as ``stp serve`` does (the gallery is at ``/user/<name>/voila/render/workbook/index.ipynb``);
* makes the user's own case folder, ``STP_DATA`` (default ``~/my-cases``), and
  exports it to every kernel, so ``stp new-case`` and the notebooks save there;
* when ``STP_WORKBOOK_COPY`` is set (e.g. ``~/workbook``), copies the workbook's
  notebooks there, adding the ones missing and never overwriting the user's copies;
* culls idle kernels (``STP_KERNEL_IDLE_SECONDS``, default 900) and, when
  ``STP_SERVER_IDLE_SECONDS`` is above 0, stops the whole server after that long
  with nothing running (the hub's idle culler does this on TLJH and Kubernetes).
"""

import os
import shutil
from pathlib import Path

from stp_helpers import paths
from stp_helpers.cli import voila_env

c = get_config()  # noqa: F821 -- provided by Jupyter's config loader

# The Voilà template ``stp`` (offline: no fonts or scripts from the network).
os.environ["JUPYTER_PATH"] = voila_env(dict(os.environ))["JUPYTER_PATH"]
c.VoilaConfiguration.template = "stp"
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
# Inside Jupyter server, Voilà's pages would fetch MathJax from cdnjs (its front end falls back
# to the CDN unless both settings are null); standalone Voilà (``stp serve``) leaves both null,
# so the page loads nothing from the internet: the same here.
# (A plain dict, merged by hand: JupyterHub's extension reads this setting as a dict.)
_tornado = dict(c.ServerApp["tornado_settings"]) if "tornado_settings" in c.ServerApp else {}
c.ServerApp.tornado_settings = {**_tornado, "mathjax_url": None, "mathjax_config": None}

# The user's own cases: one folder in their home, searched before the shipped cases.
_data = Path(os.path.expanduser(os.environ.get("STP_DATA", "").strip() or "~/my-cases"))
_data.mkdir(parents=True, exist_ok=True)
os.environ["STP_DATA"] = str(_data)

# The user's own copy of the notebooks: add what is missing, keep what they changed.
_copy = os.environ.get("STP_WORKBOOK_COPY", "").strip()
if _copy:
    _target = Path(os.path.expanduser(_copy))
    for _source in sorted(paths.NOTEBOOKS_DIR.rglob("*.ipynb")):
        _rel = _source.relative_to(paths.NOTEBOOKS_DIR)
        if any(part.startswith(".") for part in _rel.parts):
            continue
        _dest = _target / _rel
        if not _dest.exists():
            _dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_source, _dest)

# Idle culling inside the server: kernels, and optionally the server itself.
c.MappingKernelManager.cull_idle_timeout = int(os.environ.get("STP_KERNEL_IDLE_SECONDS", "900"))
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False
_server_idle = int(os.environ.get("STP_SERVER_IDLE_SECONDS", "0"))
if _server_idle > 0:
    c.ServerApp.shutdown_no_activity_timeout = _server_idle

"""The workbook's JupyterHub settings for The Littlest JupyterHub (one VM).

``install.sh`` copies this file to /opt/tljh/config/jupyterhub_config.d/, which
TLJH loads after its own settings.  TLJH's user environment is /opt/tljh/user;
the workbook is installed there, editable, from the checkout in /opt/stp-workbook.
Each user is a real Linux account (jupyter-<name>) with their own home, so the
operating system keeps their case folders apart as well as the hub.
"""

c = get_config()  # noqa: F821 -- provided by JupyterHub's config loader

WORKBOOK = "/opt/stp-workbook"

c.Spawner.default_url = "/lab"
c.Spawner.disable_user_config = True  # settings come from the workbook, not ~/.jupyter
c.Spawner.environment.update({
    # The server settings (Voilà template 'stp', STP_DATA made, notebooks copied, kernels culled).
    "JUPYTER_CONFIG_PATH": f"{WORKBOOK}/deploy/singleuser",
    # Set here, not only in those settings: disable_user_config freezes the search path early.
    "JUPYTER_PATH": f"{WORKBOOK}/stp_helpers/share/jupyter",
    "STP_DATA": "~/my-cases",
    "STP_WORKBOOK_COPY": "~/workbook",
    "STP_KERNEL_IDLE_SECONDS": "900",
    # Whole servers are culled by TLJH's idle culler (services.cull.* in install.sh).
})

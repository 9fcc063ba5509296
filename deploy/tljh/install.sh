#!/usr/bin/env bash
# Install stp-workbook on a VM that already runs The Littlest JupyterHub (TLJH).
#
#   1. Install TLJH as its guide says (https://tljh.jupyter.org), with an admin user.
#   2. Put this repository at /opt/stp-workbook (git clone, or copy it there).
#   3. sudo bash /opt/stp-workbook/deploy/tljh/install.sh
#
# It installs the workbook (editable: the notebooks and shipped cases stay in the checkout)
# into TLJH's user environment, adds the workbook's hub settings, sets idle culling and
# limits with tljh-config, and reloads the hub. Running it again is safe.
set -euo pipefail
WORKBOOK=/opt/stp-workbook
USER_ENV=/opt/tljh/user
CONFIG_D=/opt/tljh/config/jupyterhub_config.d

[ "$(id -u)" -eq 0 ] || { echo "Run with sudo." >&2; exit 1; }
[ -x "$USER_ENV/bin/python" ] || { echo "TLJH's user environment $USER_ENV is missing: install TLJH first." >&2; exit 1; }
[ -f "$WORKBOOK/pyproject.toml" ] || { echo "Put the stp-workbook checkout at $WORKBOOK first." >&2; exit 1; }

# The workbook and its pinned dependencies, in the users' environment.
"$USER_ENV/bin/python" -m pip install --quiet --upgrade pip
"$USER_ENV/bin/python" -m pip install --quiet --constraint "$WORKBOOK/constraints.txt" --editable "$WORKBOOK"
chmod -R a+rX "$WORKBOOK"   # every user reads the package, notebooks and shipped cases; nobody writes them

# The workbook's hub settings (environment for each user's server).
install -d "$CONFIG_D"
install -m 0644 "$WORKBOOK/deploy/tljh/stp-workbook.py" "$CONFIG_D/stp-workbook.py"

# Sign-in. TLJH's default (FirstUseAuthenticator) lets anyone who reaches the hub claim any unused
# name; the workbook sets NativeAuthenticator instead: apprentices sign up, an admin authorises each
# at /hub/authorize. A site that already chose another authenticator (e.g. OAuth) keeps it.
# STP_HUB_AUTH=<class> chooses another one explicitly.
AUTH="${STP_HUB_AUTH:-nativeauthenticator.NativeAuthenticator}"
current="$(tljh-config show 2>/dev/null | awk '/^auth:/ {a = 1; next} /^[^ ]/ {a = 0} a && /^  type:/ {print $2; exit}')"
case "$current" in
  ""|firstuseauthenticator.FirstUseAuthenticator|dummy|dummyauthenticator.DummyAuthenticator)
    tljh-config set auth.type "$AUTH"
    if [ "$AUTH" = nativeauthenticator.NativeAuthenticator ]; then
      tljh-config set auth.NativeAuthenticator.open_signup false
      tljh-config set auth.NativeAuthenticator.minimum_password_length 10
      tljh-config set auth.NativeAuthenticator.check_common_password true
      tljh-config set auth.NativeAuthenticator.allowed_failed_logins 5
      tljh-config set auth.NativeAuthenticator.seconds_before_next_try 600
    fi
    echo "Sign-in: $AUTH. Sign up your admin name at /hub/signup first, then authorise apprentices at /hub/authorize." ;;
  *) echo "Sign-in: keeping this hub's authenticator ($current)." ;;
esac

# JupyterLab by default; idle servers stopped after an hour; a cap per user for a 2-core VM of 30.
tljh-config set user_environment.default_app jupyterlab
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout 3600
tljh-config set services.cull.every 300
tljh-config set services.cull.max_age 0
tljh-config set limits.memory 1G
tljh-config set limits.cpu 1
tljh-config reload hub

"$USER_ENV/bin/python" -c "import stp_helpers, voila; print('stp-workbook installed for every user of this hub')"
echo "Gallery: https://<this-hub>/user/<name>/voila/render/workbook/index.ipynb (JupyterLab: /user/<name>/lab)"
echo "Turn HTTPS on before apprentices sign in: tljh-config set https.enabled true; https.letsencrypt.email; https.letsencrypt.domains; tljh-config reload proxy"

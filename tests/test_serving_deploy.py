"""Deployment settings are safe as shipped: a real authenticator, HTTPS, no committed secret, no
shared password for everyone; TLJH sets an authenticator; what a hub writes stays out of git and
out of images; the local hub refuses to listen beyond this computer."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from stp_helpers import paths

ROOT = paths.REPO_ROOT
DEPLOY = ROOT / "deploy"
SECRET_KEY = re.compile(r"password|secret|token|api_key", re.IGNORECASE)
REAL = {"native", "nativeauthenticator.NativeAuthenticator", "generic-oauth", "azuread", "google", "github",
        "gitlab", "lti13", "ltiauthenticator.lti13.authenticator.LTI13Authenticator", "ldap"}
#: What a local hub and learners' runs write into a checkout.
WRITTEN = ["jupyterhub_cookie_secret", "jupyterhub.sqlite", "jupyterhub-proxy.pid", "homes/ada/my-cases/x/case.yaml",
           "my-cases/x/case.yaml", "cases/x/case.yaml", "workbook/index.ipynb", "portfolio-ada.html",
           "class.sqlite3"]
SHIPPED = ["data/cases/wiltshire-complex-needs/case.yaml", "notebooks/index.ipynb", "stp_helpers/cli.py",
           "deploy/jupyterhub_config.py", "constraints.txt"]


def _strings_under_secret_keys(node: object, where: str = "") -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}"
            if SECRET_KEY.search(str(key)) and isinstance(value, str) and value:
                found.append(here)
            found += _strings_under_secret_keys(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _strings_under_secret_keys(value, f"{where}[{i}]")
    return found


def test_z2jh_values_sign_in_for_real_over_https_with_no_committed_secret() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text(encoding="utf-8"))
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] in REAL
    assert hub.get("Authenticator", {}).get("allow_all") is not True
    assert "SharedPasswordAuthenticator" not in hub and "DummyAuthenticator" not in hub
    assert _strings_under_secret_keys(values) == []
    https = values["proxy"]["https"]
    assert https["enabled"] is True and https["hosts"]
    if hub["JupyterHub"]["authenticator_class"] == "native":
        assert hub["NativeAuthenticator"]["open_signup"] is False
        assert hub["NativeAuthenticator"]["minimum_password_length"] >= 10
        assert hub["Authenticator"]["admin_users"], "someone must authorise the sign-ups"


def test_tljh_install_sets_an_authenticator_unless_the_hub_has_one() -> None:
    script = (DEPLOY / "tljh" / "install.sh").read_text(encoding="utf-8")
    assert re.search(r'tljh-config set auth\.type "\$AUTH"', script)
    assert "nativeauthenticator.NativeAuthenticator" in script and "open_signup false" in script
    assert "firstuseauthenticator.FirstUseAuthenticator)" not in script.split("case")[0]
    bash = subprocess.run(["bash", "-n", str(DEPLOY / "tljh" / "install.sh")], capture_output=True, text=True)
    assert bash.returncode == 0, bash.stderr


def _git_ignored(path: str) -> bool:
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0


def _docker_matches(pattern: str, prefix: str) -> bool:
    if pattern.startswith("**/"):  # at any depth
        return fnmatch.fnmatchcase(prefix.rsplit("/", 1)[-1], pattern[3:])
    return fnmatch.fnmatchcase(prefix, pattern) and prefix.count("/") == pattern.count("/")  # from the root


def _docker_ignored(patterns: list[str], path: str) -> bool:
    """Docker's rule: the last matching pattern wins, and a pattern covers everything below what it matches."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for raw in patterns:
        pattern = raw.removeprefix("!")
        if any(_docker_matches(pattern, prefix) for prefix in prefixes):
            ignored = not raw.startswith("!")
    return ignored


def _docker_patterns(file: Path) -> list[str]:
    lines = file.read_text(encoding="utf-8").splitlines()
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")]


def test_what_a_hub_writes_stays_out_of_git_and_images() -> None:
    assert [p for p in WRITTEN if not _git_ignored(p)] == []
    assert [p for p in SHIPPED if _git_ignored(p)] == []
    for file in (ROOT / ".dockerignore", DEPLOY / "image" / "Dockerfile.dockerignore"):
        patterns = _docker_patterns(file)
        assert [p for p in WRITTEN if not _docker_ignored(patterns, p)] == [], file
        assert [p for p in SHIPPED if _docker_ignored(patterns, p)] == [], file


def test_deploy_readme_has_a_security_section() -> None:
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    section = text.split("## Security", 1)[1].split("\n## ", 1)[0]
    for needed in ("NativeAuthenticator", "HTTPS", "allow_all", ".dockerignore", "jupyterhub_cookie_secret",
                   "--classroom", "DNS rebinding"):
        assert needed in section, needed


def test_local_hub_refuses_to_listen_beyond_this_computer(tmp_path: Path) -> None:
    env = {**os.environ, "STP_HUB_IP": "0.0.0.0", "STP_HUB_PASSWORD": "a-test-password", "STP_HUB_STATE": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "jupyterhub", "-f", str(DEPLOY / "jupyterhub_config.py"),
                          "--show-config"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode != 0 and "for this computer only" in run.stdout + run.stderr

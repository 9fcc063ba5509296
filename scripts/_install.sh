# Sourced by scripts/serve and scripts/test: find Python 3.11+, make .venv when no
# environment is active, and install the workbook from the lock file (constraints.txt).
# Usage: source scripts/_install.sh EXTRAS   (EXTRAS is "" or "test")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
extras="${1:-}"

if [ -n "${VIRTUAL_ENV:-}" ] || [ -n "${CONDA_PREFIX:-}" ]; then
  PY="$(command -v python)"
else
  base=""
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; raise SystemExit(sys.version_info < (3, 11))'; then
      base="$candidate"; break
    fi
  done
  if [ -z "$base" ]; then
    echo "stp-workbook needs Python 3.11 or newer (on Debian/Ubuntu: apt-get install python3 python3-venv)." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    "$base" -m venv .venv || { echo "Could not make .venv: install python3-venv (apt-get install python3-venv)." >&2; exit 1; }
  fi
  PY="$ROOT/.venv/bin/python"
fi

"$PY" -m pip install --quiet --disable-pip-version-check uv
spec="."
[ -n "$extras" ] && spec=".[$extras]"
"$PY" -m uv pip install --quiet --python "$PY" --constraint constraints.txt --editable "$spec"
export PATH="$(dirname "$PY"):$PATH"

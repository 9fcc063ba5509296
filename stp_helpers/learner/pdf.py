"""The portfolio as a PDF: the same HTML page, printed by headless Chromium.

Chromium opens the page from a private temporary folder with every network
request refused (a proxy on a closed local port, no remote fonts: the page
has none), prints it to PDF and exits; the PDF is then moved into place
atomically.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from stp_helpers import paths
from stp_helpers.errors import CaseExistsError, StpError
from stp_helpers.io.atomic import write_atomic
from stp_helpers.learner.portfolio import build_portfolio
from stp_helpers.learner.store import PortfolioStore

__all__ = ["print_pdf", "write_pdf"]

#: Longest a print may take (seconds).
PRINT_TIMEOUT = 120


def print_pdf(page: str) -> bytes:
    """Print an HTML page to PDF bytes with headless Chromium (A4, no header or footer).

    Raises
    ------
    StpError
        No Chromium is installed, or it failed to print.
    """
    browser = paths.chromium()
    if browser is None:
        raise StpError("No Chromium was found to print the PDF.",
                       fix="Install it (Debian: apt-get install chromium) or set STP_CHROMIUM to its path.")
    with tempfile.TemporaryDirectory(prefix="stp-pdf-") as folder:
        source, out = Path(folder) / "portfolio.html", Path(folder) / "portfolio.pdf"
        source.write_text(page, encoding="utf-8")
        command = [str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", "--disable-background-networking", "--disable-sync",
                   "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                   f"--user-data-dir={Path(folder) / 'profile'}", "--no-pdf-header-footer",
                   f"--print-to-pdf={out}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise StpError(f"Chromium could not print the PDF ({err}).", fix="Try again, or export HTML and print it.") from None
        if not out.is_file() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise StpError(f"Chromium did not print the PDF ({tail[0][:200]}).",
                           fix="Try again, or export HTML and print it from a browser.")
        return out.read_bytes()


def write_pdf(store: PortfolioStore, target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the portfolio as a PDF to ``target``; refuse to replace a file unless ``overwrite``."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise CaseExistsError(f"{paths.relative(target)} already exists.",
                              fix="Choose another file name, or pass --overwrite.")
    if target.suffix.lower() != ".pdf":
        raise StpError(f"{target.name} is not a PDF file name.", fix="Use a name ending in .pdf.")
    return write_atomic(target, print_pdf(build_portfolio(store)))

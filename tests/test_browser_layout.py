"""What a projected page shows: every app at 1280 and 412 px, checked on its pixels.

The pages a teacher projects most (the Wiltshire and Salford case threads, the
scenarios method with its regret explorer, the duty 7 app), opened under the
workbook's Voilà in Chromium at a projector's 1280 px and a phone's 412 px:

- no element is wider than the viewport (outside a scrolling box), at both widths;
- every chart has an accessible name, and the page logs no console error, at both widths;
- no text is clipped by an ancestor that hides its overflow (an SVG chart, a widget)
  and no two chart labels (the text of every Vega chart) have intersecting
  bounding boxes, at both widths.  On a phone long axis titles and legend labels wrap, bar
  values sit inside their bar's end, XmR limits are named in the subtitle and the regret
  heatmap's scenario names stand on end.
  A failure names the chart (its accessible name) and the kind of text.

Screenshots of the Wiltshire case, the Salford grid, the regret explorer and the
duty 7 app at both widths are written to ``tests/screenshots/`` (git-ignored) for review.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHART, Visit

from stp_helpers import catalogue

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDTHS = (1280, 412)
#: Widths at which cut text and overlapping labels are asserted.
CUT_CHECKED_WIDTHS = (1280, 412)
#: Pages reviewed by eye: the notebook, and a selector for the part to photograph on its own.
REVIEWED = {
    "cases/wiltshire.ipynb": ("wiltshire", None),
    "cases/salford.ipynb": ("salford-grid", "stakeholders are key"),
    "methods/scenarios.ipynb": ("regret-explorer", "robust choice"),
    "duty07.ipynb": ("duty07-app", None),
}
ENTRIES = [catalogue.entry(path) for path in REVIEWED]

TALL_JS = """() => Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll('*'))
  .filter(e => /(auto|scroll)/.test(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))"""

WIDE_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a); if (/(auto|scroll)/.test(s.overflowX)) return true; } return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > vw + 1 || r.left < -1) && !scrolls(el)) out.push(`${el.tagName}.${el.className.baseVal ?? el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return {vw, scrollWidth: document.documentElement.scrollWidth, wide: out.slice(0, 10)};
}"""

CLIPPED_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text || !node.parentElement || node.parentElement.closest('script, style, title, desc, option')) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden') break;
      if (/(auto|scroll)/.test(s.overflowX + s.overflowY)) break;  // reachable by scrolling its box
      const clips = /(hidden|clip)/.test(s.overflowX + s.overflowY) || a.tagName === 'svg';
      if (!clips) continue;
      const b = a.getBoundingClientRect();
      if (r.left < b.left - 2 || r.right > b.right + 2 || r.top < b.top - 2 || r.bottom > b.bottom + 2) {
        const chart = a.closest('.vega-embed')?.querySelector('svg')?.getAttribute('aria-label') ?? '';
        const mark = node.parentElement.closest('g[class]')?.getAttribute('class') ?? '';
        out.push(`"${text.slice(0, 50)}" (${mark}) in ${a.tagName}.${a.className.baseVal ?? a.className}`
                 + (chart ? ` of "${chart.slice(0, 40)}"` : ''));
        break;
      }
    }
  }
  return out.slice(0, 10);
}"""

OVERLAP_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.vega-embed svg')) {
    const boxes = Array.from(svg.querySelectorAll('text'))
      .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0')
      .map(t => [t.textContent.trim(), t.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 1.5 && h > 1.5) out.push(`"${a.slice(0, 40)}" / "${b.slice(0, 40)}" in "${(svg.getAttribute('aria-label') ?? '').slice(0, 30)}"`);
    }
  }
  return out.slice(0, 30);
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("item", ENTRIES, ids=[e.path for e in ENTRIES])
def test_page_fits_and_nothing_is_cut_or_overlaps(voila_server: str, visit: Visit, item: catalogue.Entry,
                                                  width: int) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(item.voila_url(voila_server), wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(CHART, timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=60_000)
    page.wait_for_timeout(2000)  # charts redraw once their container has its width
    if item.path in REVIEWED:
        name, part = REVIEWED[item.path]
        SCREENSHOTS.mkdir(exist_ok=True)
        # Voilà scrolls inside a panel, so the whole page is photographed through a tall viewport.
        tall = page.evaluate(TALL_JS)
        page.set_viewport_size({"width": width, "height": max(900, min(int(tall), 16_000))})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"))
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(1000)
        if part is not None:
            chart = page.locator(".vega-embed", has_text=part).first
            chart.scroll_into_view_if_needed(timeout=30_000)
            chart.screenshot(path=str(SCREENSHOTS / f"{name}-chart-{width}.png"))
    wide = page.evaluate(WIDE_JS)
    clipped = page.evaluate(CLIPPED_JS)
    overlaps = page.evaluate(OVERLAP_JS)
    problems = ([f"wider than the viewport: {wide}"] if wide["wide"] or wide["scrollWidth"] > wide["vw"] + 1 else [])
    if width in CUT_CHECKED_WIDTHS:
        problems += [f"text clipped by its container: {clipped}"] if clipped else []
        problems += [f"chart labels overlap: {overlaps}"] if overlaps else []
    unnamed = page.evaluate("""() => Array.from(document.querySelectorAll('.vega-embed svg.marks'))
      .filter(s => !(s.getAttribute('aria-label') || '').trim() || s.getAttribute('aria-label') === 'Vega visualization')
      .length""")
    problems += [f"{unnamed} charts have no accessible name"] if unnamed else []
    problems += [f"console errors: {visit.console_errors}"] if visit.console_errors else []
    assert problems == [], "\n".join(problems)

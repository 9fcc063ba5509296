"""What a projected page must not show, read from its pixels in Chromium.

Used by every browser test that opens an app (its exercise journey, the offline
render test, the screenshot test): at 1280 px and at 412 px no element is wider
than the viewport (outside a scrolling box), no text is clipped by an ancestor
that hides its overflow (an SVG chart, a widget), and no two chart labels (the
text of every Vega chart) have intersecting bounding boxes.  A failure names the
chart (its accessible name) and the kind of text.
"""

from __future__ import annotations

#: A projector's width and a phone's.
WIDTHS = (1280, 412)

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


UNNAMED_JS = """() => Array.from(document.querySelectorAll('.vega-embed svg.marks'))
  .filter(s => !(s.getAttribute('aria-label') || '').trim() || s.getAttribute('aria-label') === 'Vega visualization')
  .length"""


def problems(page: object) -> list[str]:
    """What is wrong with the page's layout at its present viewport (empty when nothing is)."""
    wide = page.evaluate(WIDE_JS)
    clipped = page.evaluate(CLIPPED_JS)
    overlaps = page.evaluate(OVERLAP_JS)
    unnamed = page.evaluate(UNNAMED_JS)
    out = [f"wider than the viewport: {wide}"] if wide["wide"] or wide["scrollWidth"] > wide["vw"] + 1 else []
    out += [f"text clipped by its container: {clipped}"] if clipped else []
    out += [f"chart labels overlap: {overlaps}"] if overlaps else []
    out += [f"{unnamed} charts have no accessible name"] if unnamed else []
    return out


def problems_at(page: object, width: int, settle_ms: int = 1500) -> list[str]:
    """Resize the page to ``width`` (900 px high), let its charts redraw, and return its problems."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(settle_ms)  # charts redraw once their container has its width
    return [f"at {width} px: {p}" for p in problems(page)]

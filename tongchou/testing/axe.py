"""axe-core in Playwright pages, served from our own files (``vendor/axe.min.js``, axe-core from
npm, MPL-2.0, licence beside it): no CDN.

``axe_violations(page)`` runs the WCAG 2.0/2.1 A and AA rules on the page as it is now and returns
the violations; ``format_violations`` turns them into a readable failure message.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_JS = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 6).map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                          html: n.html.slice(0, 160)})),
    count: v.nodes.length}));
}"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def install_axe(context) -> None:
    """Load axe into every page the browser context opens from now on (cheaper than per check)."""
    context.add_init_script(path=str(AXE_JS))


def axe_violations(page, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """WCAG A/AA violations of the page in its current state (viewport, mode, opened menus)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=_axe_source())
    return page.evaluate(_RUN_JS, tags or WCAG_TAGS)


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']} ({v['count']} elements)")
        for n in v["nodes"]:
            summary = (n["summary"] or "").replace("\n", " ")[:220]
            lines.append(f"    {n['target']}  {n['html']}\n      {summary}")
    return "\n".join(lines)

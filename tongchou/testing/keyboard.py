"""Keyboard-only driving for browser tests: move focus with Tab as a person would, never click.

``tab_to(page, "a", text="诉求办理")`` presses Tab until the focused element matches the CSS
selector (and contains the text), and fails if it never gets there or if the focused element shows
no focus indicator (an outline or a box shadow): a control that cannot be reached or seen is a bug.
"""

from __future__ import annotations

_MATCH_JS = """async ([selector, text]) => {
  // a frame for the browser to settle focus styles (a date field focuses an inner part first)
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const el = document.activeElement;
  if (!el || el === document.body || !el.matches(selector)) return null;
  const label = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  if (text && !label.includes(text)) return null;
  const s = getComputedStyle(el);
  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return {visible, label: label.slice(0, 40), tag: el.tagName};
}"""
_FOCUSED_JS = """() => { const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} “${(el.innerText || el.value || '').trim().slice(0, 20)}”` : 'nothing'; }"""


def tab_to(page, selector: str, *, text: str = "", max_tabs: int = 200, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until ``selector`` (containing ``text``) has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    trail = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        found = page.evaluate(_MATCH_JS, [selector, text])
        if found:
            assert found["visible"], f"{selector} {text!r} has the focus but no visible focus indicator"
            return found
        trail.append(page.evaluate(_FOCUSED_JS))
    raise AssertionError(
        f"{selector} {text!r} not reached with {max_tabs} × {key}; focus went through: "
        + ", ".join(trail[-25:])
    )


def press_enter_and_wait(page) -> None:
    """Enter on the focused control, then wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")

/* Tongchou page behaviour shared by every page: the phone menu, focus after htmx swaps, charts.
   Pages work without it (the menu is then always shown); nothing here fetches from the network. */
(function () {
  "use strict";
  var d = document;

  /* phone menu: a real button with aria-expanded; Escape closes it and returns focus */
  function setMenu(bar, open) {
    var btn = bar.querySelector(".nav-toggle");
    bar.classList.toggle("nav-open", open);
    if (btn) btn.setAttribute("aria-expanded", open ? "true" : "false");
    return btn;
  }
  d.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".nav-toggle");
    if (!btn) return;
    var bar = btn.closest(".topbar");
    var open = !bar.classList.contains("nav-open");
    setMenu(bar, open);
    if (open) {
      var first = bar.querySelector(".mainnav a");
      if (first) first.focus();
    }
  });
  d.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var bar = d.querySelector(".topbar.nav-open");
    if (!bar) return;
    var btn = setMenu(bar, false);
    if (btn) btn.focus();
  });

  /* htmx: when a swap removed the focused element, put focus on the new content (or on the
     element marked data-focus / autofocus inside it) instead of losing it to <body> */
  d.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail && e.detail.target;
    var active = d.activeElement;
    if (!target || (active && active !== d.body && d.contains(active))) return;
    var f = target.querySelector("[data-focus], [autofocus]") || target;
    if (!f.matches("a[href], button, input, select, textarea, [tabindex]")) f.setAttribute("tabindex", "-1");
    f.focus();
  });

  /* wide tables and other scrolling boxes: reachable with the keyboard (Tab, then arrow keys) and
     named after their caption, but only while they actually scroll (no needless tab stops) */
  var SCROLLERS = ".table-wrap, .facts-ref, .compare, .excerpt, [data-scroll]";
  function markScrollers(root) {
    (root || d).querySelectorAll(SCROLLERS).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.a11yScroll = "1";
        if (!el.hasAttribute("role")) el.setAttribute("role", "region");
        if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby")) {
          var cap = el.querySelector("caption");
          var name = cap ? cap.textContent.trim() : "";
          el.setAttribute("aria-label", (name || "表格") + "（可滚动查看）");
        }
      } else if (!scrolls && el.dataset.a11yScroll) {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
        delete el.dataset.a11yScroll;
      }
    });
  }
  d.addEventListener("DOMContentLoaded", function () { markScrollers(); });
  window.addEventListener("load", function () { markScrollers(); });
  d.addEventListener("htmx:afterSettle", function (e) { markScrollers(e.detail && e.detail.target); });
  window.addEventListener("resize", function () { markScrollers(); });
  d.addEventListener("toggle", function () { markScrollers(); }, true);

  /* charts: Tongchou.chart(idOrElement, option) — ECharts with its aria description on, the
     accessible palette, Chinese labels, no animation when the reader asked for reduced motion,
     larger text in 关怀模式; resized with the window. core/_chart.html puts the figures beside. */
  var PALETTE = ["#1f4e8c", "#b4232a", "#17693a", "#7a5200", "#6b3fa0", "#0e6b6b", "#545d70", "#a3470f"];
  var charts = [];
  function chart(el, option) {
    if (typeof el === "string") el = d.getElementById(el);
    if (!el || !window.echarts) return null;
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var care = d.documentElement.classList.contains("care");
    var c = window.echarts.init(el, null, { locale: "ZH" });
    var base = {
      color: PALETTE,
      aria: { enabled: true },
      animation: !reduce,
      textStyle: { fontSize: care ? 16 : 12, color: "#1d2433" }
    };
    for (var k in option) if (Object.prototype.hasOwnProperty.call(option, k)) base[k] = option[k];
    base.aria = { enabled: true };
    c.setOption(base);
    charts.push(c);
    return c;
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  window.Tongchou = { chart: chart, palette: PALETTE };
})();

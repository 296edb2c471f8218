/* Tongchou.map(id): a district map of a city drawn with ECharts from our own boundary files
   (regions/static/regions/maps/<city>.json, no map service), for regions/_map.html.
   The element carries data-map-url (the GeoJSON) and data-map-items (the id of a json_script with
   [{name, value, text, colour, href}]): an item with a colour is painted with it (categories, e.g.
   risk grades); otherwise values are shaded on a continuous scale. Clicking a district follows its
   href (drill-down). The same figures are in the table under the map, which is what keyboard and
   screen-reader users use: the map itself is a picture of that table. */
(function () {
  "use strict";
  var registered = {};
  function draw(el) {
    if (typeof el === "string") el = document.getElementById(el);
    if (!el || !window.echarts || !window.Tongchou) return;
    var city = el.dataset.mapCity;
    var items = JSON.parse(document.getElementById(el.dataset.mapItems).textContent || "[]");
    var unit = el.dataset.mapUnit || "";
    function render(geojson) {
      if (!registered[city]) { window.echarts.registerMap(city, geojson); registered[city] = true; }
      var coloured = items.some(function (i) { return i.colour; });
      var values = items.map(function (i) { return i.value; }).filter(function (v) { return v !== null && v !== undefined; });
      var option = {
        tooltip: { trigger: "item", formatter: function (p) {
          var it = p.data || {}; return p.name + "：" + (it.text || (p.value === undefined || isNaN(p.value) ? "无数据" : p.value + unit));
        } },
        series: [{
          type: "map", map: city, roam: false, selectedMode: false,
          label: { show: true, fontSize: 11, color: "#1d2433" },
          itemStyle: { borderColor: "#ffffff", borderWidth: 1, areaColor: "#e4e7ec" },
          emphasis: { label: { color: "#1d2433" }, itemStyle: { areaColor: "#c9d6ea" } },
          data: items.map(function (i) {
            var d = { name: i.name, value: i.value, text: i.text, href: i.href };
            if (i.colour) d.itemStyle = { areaColor: i.colour };
            return d;
          })
        }]
      };
      if (!coloured && values.length) {
        option.visualMap = { min: Math.min.apply(null, values), max: Math.max.apply(null, values), left: 8, bottom: 8,
          text: ["高", "低"], calculable: false, inRange: { color: ["#e8eef7", "#1f4e8c"] } };
      }
      var chart = window.Tongchou.chart(el, option);
      if (chart) chart.on("click", function (p) { if (p.data && p.data.href) window.location.href = p.data.href; });
    }
    fetch(el.dataset.mapUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () { el.textContent = "地图未能载入，请看下方表格。"; });
  }
  function all() { document.querySelectorAll("[data-map-city]").forEach(function (el) { if (!el.dataset.mapDrawn) { el.dataset.mapDrawn = "1"; draw(el); } }); }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
  window.Tongchou = window.Tongchou || {};
  window.addEventListener("load", function () { window.Tongchou.map = draw; all(); });
})();

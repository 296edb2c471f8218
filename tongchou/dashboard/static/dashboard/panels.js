// Draws each command-centre panel's chart from its JSON spec ({kind, categories, series}, or
// {kind: "echarts", option}) through Tongchou.chart (app.js: ECharts' aria description on, the
// accessible palette); the table under it carries the same numbers for screen readers.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var charts = [];
  document.querySelectorAll(".panel").forEach(function (panel) {
    var box = panel.querySelector(".panel-chart");
    var data = panel.querySelector("script[type='application/json']");
    if (!box || !data) return;
    var spec = JSON.parse(data.textContent);
    var empty = spec.series && spec.series.every(function (s) { return s.data.every(function (v) { return !v; }); });
    if (empty) { box.remove(); return; }  // all zero: the table says so, an empty chart says nothing
    var option;
    if (spec.kind === "echarts") {
      option = spec.option;
    } else if (spec.kind === "pie") {
      var s = spec.series[0];
      option = {tooltip: {trigger: "item"}, legend: {bottom: 0, type: "scroll"},
        series: [{name: s.name, type: "pie", radius: ["38%", "68%"], center: ["50%", "45%"],
          data: spec.categories.map(function (c, i) { return {name: c, value: s.data[i]}; })
            .filter(function (d) { return d.value > 0; })}]};
    } else {
      option = {tooltip: {trigger: "axis"}, grid: {left: 44, right: 12, top: 16, bottom: 70},
        xAxis: {type: "category", data: spec.categories, axisLabel: {rotate: spec.categories.length > 5 ? 35 : 0, interval: 0}},
        yAxis: {type: "value", minInterval: 1},
        series: spec.series.map(function (s) { return {name: s.name, type: spec.kind === "line" ? "line" : "bar", data: s.data}; })};
    }
    var heading = panel.querySelector("h2");
    if (heading && !option.title) option.title = {text: heading.textContent.trim(), show: false};
    if (window.Tongchou) {
      Tongchou.chart(box, option);
    } else {
      var chart = echarts.init(box);
      chart.setOption(option);
      charts.push(chart);
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});

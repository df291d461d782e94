// The monthly trend of the 数据驾驶舱 (supervision/cockpit.html); the figures come from the page's trend-data JSON
// block. A file of its own: the Content-Security-Policy allows no inline script.
(function () {
  var d = JSON.parse(document.getElementById("trend-data").textContent);
  var chart = echarts.init(document.getElementById("chart-trend"));
  chart.setOption({tooltip: {trigger: "axis"}, legend: {data: ["新立案件", "行政处罚决定"]},
    grid: {left: 40, right: 16, bottom: 40}, xAxis: {type: "category", data: d.months}, yAxis: {type: "value", minInterval: 1},
    series: [{name: "新立案件", type: "line", data: d.opened, itemStyle: {color: "#b3261e"}},
             {name: "行政处罚决定", type: "line", data: d.decided, itemStyle: {color: "#37474f"}}]});
  window.addEventListener("resize", function () { chart.resize(); });
})();

// The charts of a published annual report (publicity/annual_detail.html); the figures come from the page's
// report-data JSON block. A file of its own: the Content-Security-Policy allows no inline script.
(function () {
  var d = JSON.parse(document.getElementById("report-data").textContent);
  function bar(id, title, data, color) {
    var chart = echarts.init(document.getElementById(id));
    chart.setOption({title: {text: title, left: "center", textStyle: {fontSize: 14}}, tooltip: {},
      xAxis: {type: "category", data: Object.keys(data), axisLabel: {interval: 0, rotate: 20}}, yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: Object.values(data), itemStyle: {color: color}}]});
  }
  bar("chart-category", "案件类别", d.cases_by_category, "#b3261e");
  var kinds = Object.keys(d.penalties_by_kind).map(function (k) { return {name: k, value: d.penalties_by_kind[k]}; });
  echarts.init(document.getElementById("chart-kind")).setOption({title: {text: "行政处罚种类", left: "center", textStyle: {fontSize: 14}}, tooltip: {},
    series: [{type: "pie", radius: "60%", data: kinds}]});
  bar("chart-review", "法制审核结论", d.reviews_by_outcome, "#37474f");
})();

// Monthly chart of one measured target: the months' values as bars, the target as a line.
// The data come from a JSON script element rendered by the page; ECharts is served from this site.
(function () {
  const node = document.getElementById("indicator-chart");
  const data = JSON.parse(document.getElementById("indicator-chart-data").textContent);
  if (!node || !window.echarts) return;
  const chart = echarts.init(node, null, { renderer: "svg" });
  const series = [{ name: data.name, type: "bar", data: data.values, itemStyle: { color: "#1f7a4d" } }];
  if (data.target !== null) {
    series[0].markLine = {
      symbol: "none",
      lineStyle: { color: "#b3261e", type: "dashed", width: 2 },
      label: { formatter: "目标 " + data.target + " " + data.measure_unit },
      data: [{ yAxis: data.target }],
    };
  }
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 24, top: 32, bottom: 32 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: data.measure_unit },
    series: series,
  });
  window.addEventListener("resize", () => chart.resize());
})();

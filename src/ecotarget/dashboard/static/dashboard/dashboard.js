// The dashboard's charts, each drawn from the JSON script element its container names (data-source).
// Every bar carries the address of the tasks behind it: clicking a bar opens that list.
(function () {
  if (!window.echarts) return;
  const charts = [];
  const go = (url) => { if (url) window.location.href = url; };
  const narrow = () => window.innerWidth < 700;

  function stacked(data) {
    return {
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category", inverse: true, data: data.categories,
        axisLabel: { width: narrow() ? 90 : 200, overflow: "truncate" },
      },
      series: data.series.map((s) => ({
        name: s.name, type: "bar", stack: "tasks", data: s.data, itemStyle: { color: s.colour },
        label: { show: true, formatter: (p) => (p.value ? p.value : "") },
      })),
    };
  }

  function monthly(data) {
    const series = [{ name: data.name, type: "bar", data: data.values, itemStyle: { color: "#1f7a4d" } }];
    if (data.line !== null) {
      series[0].markLine = {
        symbol: "none",
        lineStyle: { color: "#b3261e", type: "dashed", width: 2 },
        label: { formatter: data.line_label + " " + data.line + " " + data.measure_unit, position: "insideEndTop" },
        data: [{ yAxis: data.line }],
      };
    }
    return {
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: data.measure_unit },
      series: series,
    };
  }

  function bars(data) {
    return {
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.categories },
      yAxis: { type: "value", minInterval: 1 },
      series: [{
        name: data.name, type: "bar", label: { show: true, position: "top" },
        data: data.data.map((v, i) => ({ value: v, itemStyle: { color: data.colours[i] } })),
      }],
    };
  }

  function hbars(data) {
    return {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: data.max, name: data.measure_unit },
      yAxis: { type: "category", inverse: true, data: data.categories },
      series: [{
        name: data.name, type: "bar", data: data.data, itemStyle: { color: "#1f5fae" },
        label: { show: true, position: "right", formatter: "{c}%" },
      }],
    };
  }

  const builders = { stacked, monthly, bars, hbars };
  document.querySelectorAll("[data-chart]").forEach((node) => {
    const data = JSON.parse(document.getElementById(node.dataset.source).textContent);
    if (data.kind === "hbars") node.style.height = Math.max(240, 26 * data.categories.length + 40) + "px";
    if (data.kind === "stacked") node.style.height = Math.max(260, 44 * data.categories.length + 60) + "px";
    const chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } } },
      builders[data.kind](data)));
    chart.on("click", (p) => {
      if (data.kind === "stacked") go(data.series[p.seriesIndex].urls[p.dataIndex]);
      else if (data.urls) go(data.urls[p.dataIndex]);
      else go(data.url);
    });
    node.dataset.ready = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();

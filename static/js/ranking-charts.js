/* The two charts of the ranking page, from the JSON the page embeds with json_script
 * (<script id="chart-data" type="application/json">, data only: allowed by the policy). */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart || !document.getElementById("ranking-chart")) {
    return;
  }
  const data = JSON.parse(source.textContent);
  const vi = (v) => v.toLocaleString("vi-VN", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  new Chart(document.getElementById("ranking-chart"), {
    type: "bar",
    data: {labels: data.labels, datasets: [{label: "Tổng điểm", data: data.scores, backgroundColor: data.colours}]},
    options: {indexAxis: "y", animation: false, plugins: {
      legend: {display: true, labels: {generateLabels: () => data.bands.map((b) => ({text: b.label, fillStyle: b.colour, strokeStyle: b.colour}))}},
      tooltip: {callbacks: {label: (ctx) => vi(ctx.parsed.x)}}},
      scales: {x: {min: 0, ticks: {callback: (v) => v.toLocaleString("vi-VN")}}}}
  });
  const codes = Object.keys(data.fields);
  new Chart(document.getElementById("field-chart"), {
    type: "bar",
    data: {labels: codes.map((c) => "LV " + c), datasets: [
      {label: "Thấp nhất", data: codes.map((c) => data.fields[c].min), backgroundColor: "#dc3545"},
      {label: "Trung bình", data: codes.map((c) => data.fields[c].avg), backgroundColor: "#0d6efd"},
      {label: "Cao nhất", data: codes.map((c) => data.fields[c].max), backgroundColor: "#198754"}]},
    options: {animation: false, plugins: {title: {display: true, text: "Phân bố điểm theo lĩnh vực"},
      tooltip: {callbacks: {label: (ctx) => ctx.dataset.label + ": " + vi(ctx.parsed.y)}}}}
  });
})();

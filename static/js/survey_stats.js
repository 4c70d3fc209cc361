// Survey statistics: draws the charts from the numbers the page carries (also printed in the tables below them).
(function () {
  var COLOURS = ["#1565c0", "#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#00838f", "#8d6e63", "#546e7a"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    var stacked = canvas.dataset.kind === "answers";
    data.datasets.forEach(function (set, i) {
      set.backgroundColor = COLOURS[i % COLOURS.length];
      set.data = set.data.map(function (v) { return v === null ? null : Number(v); });
    });
    new window.Chart(canvas, {
      type: "bar",
      data: data,
      options: {
        // Vietnamese numbers in ticks and tooltips ("98,1"), whatever the browser's own language.
        locale: "vi",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: stacked },
          y: stacked ? { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: canvas.dataset.axisTitle } }
                     : { beginAtZero: true, suggestedMax: 100, title: { display: true, text: canvas.dataset.axisTitle } }
        }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();

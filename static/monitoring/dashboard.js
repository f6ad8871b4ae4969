// Dashboard charts (Chart.js, vendored). The numbers come from a json_script block: the CSP
// allows no inline script, and application/json is data, not code.
(function () {
  "use strict";

  var palette = ["#0b5394", "#38761d", "#bf9000", "#990000", "#674ea7", "#45818e", "#b45f06", "#666666"];

  // Long labels (stages, OPD names) wrap onto several lines instead of being cut; the tooltip
  // and the table under each chart give them in full.
  function wrap(label, width) {
    var lines = [];
    var line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  function categoryTick(width) {
    return function (value) {
      return wrap(this.getLabelForValue(value), width);
    };
  }

  function draw(canvas, data) {
    var series = data[canvas.getAttribute("data-chart")];
    if (!series || !series.values.length) {
      canvas.hidden = true;
      return;
    }
    var type = canvas.getAttribute("data-type");
    var horizontal = type === "bar-horizontal";
    var doughnut = type === "doughnut";
    // On a phone, shorter label lines, a taller chart to hold them and the legend underneath:
    // Chart.js would otherwise cut the labels at the left and the legend at the right.
    var narrow = canvas.parentElement.clientWidth < 420;
    new window.Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: {
        labels: series.labels,
        datasets: [{
          data: series.values,
          backgroundColor: doughnut ? palette : palette[0],
          borderWidth: doughnut ? 1 : 0
        }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        maintainAspectRatio: true,
        aspectRatio: horizontal ? (narrow ? 0.38 : 0.9) : (doughnut && narrow ? 1 : 2),
        plugins: { legend: { display: doughnut, position: narrow ? "bottom" : "right" } },
        scales: doughnut ? {} : {
          x: { ticks: horizontal ? { precision: 0 } : { autoSkip: false, maxRotation: 60 } },
          y: { ticks: horizontal ? { autoSkip: false, callback: categoryTick(narrow ? 16 : 28) } : { precision: 0 } }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas.dashboard-chart").forEach(function (canvas) {
      draw(canvas, data);
    });
  });
})();

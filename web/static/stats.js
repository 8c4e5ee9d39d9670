// The statistics page's charts: Chart.js (bundled from the npm package `chart.js`, MIT) draws a
// chart above each table marked [data-chart="line"|"bar"], from the table itself: the row
// headers are the labels, the column headers the series, the cells' data-value the numbers.
// [data-chart-series="1"] keeps only the first series (or "2": the second). Without JavaScript,
// or without Chart.js, the tables alone carry every number.
(function () {
  'use strict';

  function cssColor(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function draw(table) {
    var kind = table.getAttribute('data-chart');
    var heads = table.querySelectorAll('thead th');
    var rows = table.querySelectorAll('tbody tr');
    if (rows.length === 0 || heads.length < 2) return;
    var labels = [];
    var series = [];
    for (var c = 1; c < heads.length; c++) series.push({ label: heads[c].textContent.trim(), data: [] });
    rows.forEach(function (row) {
      labels.push(row.querySelector('th').textContent.trim());
      var cells = row.querySelectorAll('td');
      for (var i = 0; i < series.length && i < cells.length; i++) {
        series[i].data.push(Number(cells[i].getAttribute('data-value')) || 0);
      }
    });
    var only = Number(table.getAttribute('data-chart-series'));
    if (only >= 1 && only <= series.length) series = [series[only - 1]];
    var colors = [cssColor('--primary', '#0b5394'), cssColor('--accent', '#b45309')];
    series.forEach(function (s, i) {
      var color = colors[(only >= 1 ? only - 1 : i) % colors.length];
      s.backgroundColor = color;
      s.borderColor = color;
      s.borderWidth = 2;
      s.tension = 0.2;
    });

    var box = document.createElement('div');
    box.className = 'chart-box' + (kind === 'bar' ? ' chart-box-bar' : '');
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', table.getAttribute('data-chart-label') || '');
    box.appendChild(canvas);
    var region = table.closest('.table-scroll') || table;
    region.parentNode.insertBefore(box, region);

    var locale = document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN';
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: kind,
      data: { labels: labels, datasets: series },
      options: {
        locale: locale,
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? false : undefined,
        indexAxis: kind === 'bar' ? 'y' : 'x',
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: { legend: { position: 'bottom' } }
      }
    });
    table.setAttribute('data-chart-drawn', 'true');
  }

  function start() {
    if (!window.Chart) return;
    document.querySelectorAll('table[data-chart]').forEach(draw);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

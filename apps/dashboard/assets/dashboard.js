// Draws every chart of the page from the JSON spec the server embedded next to it, wires
// cross-filtering (a click sets one URL filter) and turns filter-bar changes into a new URL.
(function () {
  'use strict';
  // Codes such as smart_tv read as 'Smart tv'; values keep their raw form for filtering.
  var pretty = function (value) {
    var text = String(value);
    return /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(text)
      ? text.replace(/_/g, ' ').replace(/^./, function (c) {
          return c.toUpperCase();
        })
      : text;
  };
  var unitFormat = {
    ratio: function (v) {
      return (v * 100).toFixed(v !== 0 && Math.abs(v) < 0.01 ? 2 : 0) + '%';
    },
    kbps: function (v) {
      return (v / 1000).toFixed(0) + ' Mbps';
    },
  };
  var navigate = function (changes) {
    var url = new URL(window.location.href);
    Object.keys(changes).forEach(function (key) {
      if (changes[key] === '' || changes[key] === undefined) url.searchParams.delete(key);
      else url.searchParams.set(key, changes[key]);
    });
    url.searchParams.delete('preset');
    window.location.assign(url.toString());
  };
  window.reelhouseCharts = {};
  document.querySelectorAll('[data-chart]').forEach(function (element) {
    var id = element.getAttribute('data-chart');
    var spec = JSON.parse(document.getElementById('spec-' + id).textContent);
    var option = spec.option;
    var axes = [].concat(option.xAxis || [], option.yAxis || []);
    axes.forEach(function (axis) {
      if (axis.type === 'category')
        axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: pretty });
      if (axis.type === 'value' && unitFormat[axis.reelhouseUnit])
        axis.axisLabel = Object.assign({}, axis.axisLabel, {
          formatter: unitFormat[axis.reelhouseUnit],
        });
    });
    if (
      option.legend &&
      (option.series || []).some(function (s) {
        return s.type === 'pie';
      })
    )
      option.legend.formatter = pretty;
    // Respect a request for less motion (also what makes screenshots and tests deterministic).
    if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches)
      option.animation = false;
    var chart = window.echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption(option);
    window.reelhouseCharts[id] = chart;
    if (spec.crossFilter) {
      // A bar, a slice or a category label (axes carry triggerEvent) sets the filter.
      chart.on('click', function (params) {
        var changes = {};
        changes[spec.crossFilter] = params.componentType === 'series' ? params.name : params.value;
        navigate(changes);
      });
    }
  });
  window.addEventListener('resize', function () {
    Object.keys(window.reelhouseCharts).forEach(function (id) {
      window.reelhouseCharts[id].resize();
    });
  });
  var form = document.getElementById('filters');
  if (form) {
    form.addEventListener('change', function (event) {
      var target = event.target;
      if (!target || !target.name) return;
      var changes = {};
      changes[target.name] = target.value;
      navigate(changes);
    });
  }
})();

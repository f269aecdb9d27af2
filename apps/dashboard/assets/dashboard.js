// Draws every chart of the page from the JSON spec the server embedded next to it, wires
// drill-down and cross-filtering (a click sets one URL key) and turns filter-bar changes into a new URL.
(function () {
  'use strict';
  // Codes read as words: smart_tv 'Smart TV', tv_ad 'TV ad', sci-fi 'Sci-Fi'; values keep their raw
  // form for filtering (only the label changes).
  var acronyms = { tv: 'TV', os: 'OS', ios: 'iOS', sd: 'SD', hd: 'HD', fhd: 'FHD', uhd: 'UHD' };
  var capital = function (word) {
    return word.charAt(0).toUpperCase() + word.slice(1);
  };
  var pretty = function (value) {
    var text = String(value);
    if (!/^[a-z][a-z0-9]*([_-][a-z0-9]+)*$/.test(text)) return text;
    return text
      .split('_')
      .map(function (word, index) {
        if (acronyms[word]) return acronyms[word];
        // Hyphenated words are names (Sci-Fi): every part capitalised.
        if (word.indexOf('-') >= 0) return word.split('-').map(capital).join('-');
        return index === 0 ? capital(word) : word;
      })
      .join(' ');
  };
  // Three significant digits: ticks are round numbers, so neighbouring labels never read the same
  // (0.005%, 0.01%, 0.015%), however small the ratio.
  var unitFormat = {
    ratio: function (v) {
      return (v === 0 ? '0' : String(Number((v * 100).toPrecision(3)))) + '%';
    },
    kbps: function (v) {
      return String(Number((v / 1000).toPrecision(3))) + ' Mbps';
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
    // On a phone, legends keep one scrollable line: below a pie (centred above it), above the plot
    // of other charts, never wrapping over the series.
    if (option.legend && element.clientWidth < 520) {
      var pie = (option.series || []).some(function (s) {
        return s.type === 'pie';
      });
      option.legend = Object.assign({}, option.legend, { type: 'scroll', orient: 'horizontal' });
      if (pie) {
        option.legend = Object.assign(option.legend, { left: 8, right: 8, top: 'auto', bottom: 0 });
        (option.series || []).forEach(function (s) {
          if (s.type === 'pie')
            Object.assign(s, { center: ['50%', '44%'], radius: ['36%', '62%'] });
        });
      }
    }
    // Respect a request for less motion (also what makes screenshots and tests deterministic).
    if (window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches)
      option.animation = false;
    var chart = window.echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption(option);
    window.reelhouseCharts[id] = chart;
    if (spec.crossFilter || spec.drill) {
      // A bar, a slice or a category label (axes carry triggerEvent): on a drillable panel a click
      // drills into the member (Power BI's drill-down), Shift/Ctrl/Cmd-click cross-filters instead;
      // elsewhere a click cross-filters.
      chart.on('click', function (params) {
        var member = params.componentType === 'series' ? params.name : params.value;
        var event = params.event && params.event.event;
        var modified = !!(event && (event.shiftKey || event.ctrlKey || event.metaKey));
        var changes = {};
        if (spec.drill && !(modified && spec.crossFilter)) {
          var raw = Object.prototype.hasOwnProperty.call(spec.drill.members, member)
            ? spec.drill.members[member]
            : member;
          changes[spec.drill.key] = spec.drill.path.concat([raw]).join('/');
        } else changes[spec.crossFilter] = member;
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
      // A multi-select slicer sends every picked value, comma-separated (the URL's list form).
      changes[target.name] = target.multiple
        ? Array.prototype.map
            .call(target.selectedOptions, function (option) {
              return option.value;
            })
            .join(',')
        : target.value;
      navigate(changes);
    });
  }
})();

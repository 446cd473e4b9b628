/* A small time-series line chart drawn as SVG: no library, no build step. */
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var MARGIN = { top: 10, right: 16, bottom: 24, left: 48 };
  // Ramp labels: an upper bound of the width of one character at their 10.5 px, and how many rows they use.
  var LABEL_CHAR_PX = 6.4;
  var MAX_LABEL_ROWS = 4;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) {
        node.setAttribute(key, attrs[key]);
      }
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  /* A step of 1, 2 or 5 times a power of ten, so that the axis reads in round numbers. */
  function niceStep(max, ticks) {
    var raw = max / ticks;
    if (!(raw > 0)) {
      return 1;
    }
    var exp = Math.pow(10, Math.floor(Math.log10(raw)));
    var f = raw / exp;
    var step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
    return step < 1 ? 1 : step;
  }

  function compact(value) {
    if (value >= 1e6) {
      return (value / 1e6).toFixed(value % 1e6 === 0 ? 0 : 1) + 'M';
    }
    if (value >= 1e4) {
      return (value / 1e3).toFixed(0) + 'k';
    }
    if (value >= 1e3) {
      return (value / 1e3).toFixed(1) + 'k';
    }
    return String(Math.round(value * 100) / 100);
  }

  function clock(t) {
    var d = new Date(t);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  function clockSeconds(t) {
    var d = new Date(t);
    return clock(t) + ':' + String(d.getSeconds()).padStart(2, '0');
  }

  /**
   * Draws into `container`:
   *   opts.from, opts.to: the time window (epoch ms)
   *   opts.series: [{ name, cls, values: [[t, v], ...] }]
   *   opts.marks: [{ t, label }] vertical markers (ramps)
   */
  function draw(container, opts) {
    container.__chart = opts;
    var width = Math.max(container.clientWidth, 320);
    var height = Math.max(container.clientHeight, 100);
    var plotW = width - MARGIN.left - MARGIN.right;
    var plotH = height - MARGIN.top - MARGIN.bottom;
    var span = Math.max(opts.to - opts.from, 1);
    var maxValue = 0;
    var points = 0;
    opts.series.forEach(function (s) {
      s.values.forEach(function (p) {
        if (p[1] > maxValue) {
          maxValue = p[1];
        }
      });
      points += s.values.length;
    });
    var ticks = 4;
    var yStep = niceStep(maxValue * 1.05, ticks);
    var yMax = yStep * ticks;
    var x = function (t) { return MARGIN.left + ((t - opts.from) / span) * plotW; };
    var y = function (v) { return MARGIN.top + plotH - (v / yMax) * plotH; };

    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, preserveAspectRatio: 'none', role: 'img' });
    var defs = el('defs', {}, svg);
    ['blue', 'green'].forEach(function (c) {
      var g = el('linearGradient', { id: 'fill-' + c + '-' + container.id, x1: 0, y1: 0, x2: 0, y2: 1 }, defs);
      el('stop', { offset: '0%', 'stop-color': c === 'blue' ? '#4c8df6' : '#2fbf71', 'stop-opacity': 0.28 }, g);
      el('stop', { offset: '100%', 'stop-color': c === 'blue' ? '#4c8df6' : '#2fbf71', 'stop-opacity': 0 }, g);
    });

    var grid = el('g', { class: 'grid' }, svg);
    var axis = el('g', { class: 'axis' }, svg);
    for (var i = 0; i <= ticks; i++) {
      var v = yStep * i;
      el('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y(v), y2: y(v) }, grid);
      var label = el('text', { x: MARGIN.left - 8, y: y(v) + 4, 'text-anchor': 'end' }, axis);
      label.textContent = compact(v);
    }
    var step = span > 20 * 60e3 ? 10 * 60e3 : span > 5 * 60e3 ? 2 * 60e3 : 60e3;
    for (var t = Math.ceil(opts.from / step) * step; t <= opts.to; t += step) {
      var tx = x(t);
      el('line', { x1: tx, x2: tx, y1: MARGIN.top, y2: MARGIN.top + plotH, 'stroke-opacity': 0.5 }, grid);
      var tl = el('text', { x: tx, y: height - 6, 'text-anchor': 'middle' }, axis);
      tl.textContent = clock(t);
    }

    // Ramp labels go in rows: a label that would overlap one already placed goes one row down, so two
    // ramps seconds apart stay readable ("green 25 %" under "green 100 %", not over it). The newest
    // ramps are placed first, since they matter most.
    var rows = [];
    (opts.marks || []).slice().reverse().forEach(function (m) {
      if (m.t < opts.from) {
        return;
      }
      var g = el('g', { class: 'ramp-mark' }, svg);
      el('line', { x1: x(m.t), x2: x(m.t), y1: MARGIN.top, y2: MARGIN.top + plotH }, g);
      if (m.label) {
        // Near the right edge the label goes on the left of its line, so it stays inside the plot.
        var leftSide = x(m.t) > MARGIN.left + plotW - 80;
        var wide = m.label.length * LABEL_CHAR_PX + 4;
        var x0 = leftSide ? x(m.t) - 4 - wide : x(m.t) + 4;
        var x1 = x0 + wide;
        var row = 0;
        while (row < rows.length && rows[row].some(function (r) { return x0 < r[1] + 4 && r[0] < x1 + 4; })) {
          row++;
        }
        if (row >= MAX_LABEL_ROWS) {
          return;
        }
        (rows[row] = rows[row] || []).push([x0, x1]);
        var text = el('text', {
          x: x(m.t) + (leftSide ? -4 : 4), y: MARGIN.top + 11 + row * 13, 'text-anchor': leftSide ? 'end' : 'start'
        }, g);
        text.textContent = m.label;
      }
    });

    opts.series.forEach(function (s) {
      var values = s.values.filter(function (p) { return p[0] >= opts.from; });
      if (values.length === 0) {
        return;
      }
      var line = values.map(function (p, idx) {
        return (idx === 0 ? 'M' : 'L') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1);
      }).join(' ');
      if (values.length > 1 && s.fill !== false) {
        var area = line + ' L' + x(values[values.length - 1][0]).toFixed(1) + ' ' + y(0) +
          ' L' + x(values[0][0]).toFixed(1) + ' ' + y(0) + ' Z';
        el('path', { d: area, fill: 'url(#fill-' + s.cls + '-' + container.id + ')' }, svg);
      }
      el('path', { d: line, class: 'line line-' + s.cls }, svg);
      var last = values[values.length - 1];
      container.setAttribute('data-last-' + s.cls, String(last[1]));
      el('circle', { cx: x(last[0]), cy: y(last[1]), r: 3.5, class: 'now-dot', fill: s.cls === 'blue' ? '#4c8df6' : '#2fbf71' }, svg);
    });

    if (points === 0) {
      var empty = el('text', { x: MARGIN.left + plotW / 2, y: MARGIN.top + plotH / 2, 'text-anchor': 'middle', class: 'empty' }, svg);
      empty.textContent = 'collecting samples…';
    }

    var hover = el('g', { class: 'hover', visibility: 'hidden' }, svg);
    var hoverLine = el('line', { y1: MARGIN.top, y2: MARGIN.top + plotH }, hover);

    container.textContent = '';
    container.appendChild(svg);
    var tip = document.createElement('div');
    tip.className = 'chart-tip';
    tip.hidden = true;
    container.appendChild(tip);
    container.setAttribute('data-points', String(points));

    svg.addEventListener('mousemove', function (event) {
      var rect = svg.getBoundingClientRect();
      var px = ((event.clientX - rect.left) / rect.width) * width;
      var t = opts.from + ((px - MARGIN.left) / plotW) * span;
      if (t < opts.from || t > opts.to) {
        hover.setAttribute('visibility', 'hidden');
        tip.hidden = true;
        return;
      }
      var rows = [];
      opts.series.forEach(function (s) {
        var best = null;
        s.values.forEach(function (p) {
          if (best === null || Math.abs(p[0] - t) < Math.abs(best[0] - t)) {
            best = p;
          }
        });
        if (best) {
          rows.push({ s: s, p: best });
        }
      });
      if (rows.length === 0) {
        return;
      }
      var at = rows[0].p[0];
      hoverLine.setAttribute('x1', x(at));
      hoverLine.setAttribute('x2', x(at));
      hover.setAttribute('visibility', 'visible');
      tip.textContent = '';
      var head = document.createElement('div');
      head.textContent = clockSeconds(at);
      head.style.color = '#8193a8';
      tip.appendChild(head);
      rows.forEach(function (r) {
        var line = document.createElement('div');
        var key = document.createElement('span');
        key.className = 'k';
        key.style.background = r.s.cls === 'blue' ? '#4c8df6' : '#2fbf71';
        line.appendChild(key);
        line.appendChild(document.createTextNode(r.s.name + '  ' + Math.round(r.p[1]).toLocaleString('en-US')));
        tip.appendChild(line);
      });
      tip.hidden = false;
      var left = (x(at) / width) * rect.width + 12;
      tip.style.left = Math.min(left, rect.width - 140) + 'px';
      tip.style.top = '8px';
    });
    svg.addEventListener('mouseleave', function () {
      hover.setAttribute('visibility', 'hidden');
      tip.hidden = true;
    });
  }

  window.TealChart = { draw: draw, clock: clock, clockSeconds: clockSeconds };
})();

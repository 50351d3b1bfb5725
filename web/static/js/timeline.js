/*
 * timeline.js: a horizontal, zoomable timeline of the dated records on a link chart.
 *
 * Interface: an element with class "timeline-chart" and data-chart="<id of the .graph element>",
 * holding a ".timeline-canvas" and optional controls [data-timeline=apply|clear|zoom-in|zoom-out]
 * with date inputs #period-from and #period-to. js/graph.js sends it the chart's dated records
 * ("chart:nodes": [{id, label, icon, kind, when, until}]) and the selected records
 * ("chart:select": {ids}); the timeline sends the chosen period back to the chart
 * ("timeline:period": {from, to}, ISO dates or null). Drag across the timeline to choose a
 * period; the wheel or the buttons zoom. Lanes: incidents, missing episodes, placements,
 * orders, plans. Drawn in SVG with classes only (strict CSP: no inline styles).
 */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var DAY = 86400000;
  var LANES = [['incident', 'Incidents'], ['missing', 'Missing episodes'],
    ['placement', 'Placements'], ['order', 'Orders'], ['plan', 'Plans']];
  var LANE_H = 26;
  var LEFT = 120;
  var AXIS_H = 22;

  function laneOf(item) {
    if (item.kind === 'incident') { return item.icon === 'missing' ? 'missing' : 'incident'; }
    return item.kind;
  }

  function ms(text) { return Date.parse(String(text).slice(0, 10) + 'T00:00:00Z'); }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function Timeline(box) {
    this.box = box;
    this.canvas = box.querySelector('.timeline-canvas');
    this.chart = document.getElementById(box.getAttribute('data-chart') || '');
    this.items = [];
    this.selected = {};
    this.window = null; // [start, end] ms shown
    this.period = null; // [start, end] ms chosen
    var self = this;
    box.addEventListener('chart:nodes', function (evt) {
      self.items = evt.detail.nodes.filter(function (n) { return !isNaN(ms(n.when)); });
      if (!self.window) { self.window = self.extent(); }
      self.draw();
    });
    box.addEventListener('chart:select', function (evt) {
      self.selected = {};
      evt.detail.ids.forEach(function (id) { self.selected[id] = true; });
      self.draw();
    });
    var from = document.getElementById('period-from');
    var to = document.getElementById('period-to');
    var commands = {
      apply: function () { self.choose(from.value ? ms(from.value) : null, to.value ? ms(to.value) : null); },
      clear: function () { from.value = ''; to.value = ''; self.choose(null, null); },
      'zoom-in': function () { self.zoom(0.5); },
      'zoom-out': function () { self.zoom(2); }
    };
    Array.prototype.forEach.call(box.querySelectorAll('[data-timeline]'), function (b) {
      var command = commands[b.getAttribute('data-timeline')];
      if (command) { b.addEventListener('click', command); }
    });
    this.canvas.addEventListener('wheel', function (evt) {
      evt.preventDefault();
      self.zoom(evt.deltaY < 0 ? 0.8 : 1.25, self.timeAt(evt.offsetX));
    }, { passive: false });
    this.canvas.addEventListener('keydown', function (evt) {
      if (evt.key === '+' || evt.key === '=') { self.zoom(0.5); }
      if (evt.key === '-') { self.zoom(2); }
      if (evt.key === 'ArrowLeft') { self.pan(-0.2); }
      if (evt.key === 'ArrowRight') { self.pan(0.2); }
    });
    var dragFrom = null;
    this.canvas.addEventListener('pointerdown', function (evt) {
      if (evt.offsetX < LEFT || !self.window) { return; }
      dragFrom = evt.offsetX;
      self.canvas.setPointerCapture(evt.pointerId);
    });
    this.canvas.addEventListener('pointermove', function (evt) {
      if (dragFrom === null) { return; }
      self.drawBrush(Math.min(dragFrom, evt.offsetX), Math.max(dragFrom, evt.offsetX));
    });
    this.canvas.addEventListener('pointerup', function (evt) {
      if (dragFrom === null) { return; }
      var a = Math.min(dragFrom, evt.offsetX);
      var b = Math.max(dragFrom, evt.offsetX);
      dragFrom = null;
      if (b - a < 4) { return; }
      var start = self.timeAt(a);
      var end = self.timeAt(b);
      from.value = iso(start);
      to.value = iso(end);
      self.choose(start, end);
    });
    window.addEventListener('resize', function () { self.draw(); });
    if (this.chart && this.chart.chart) { this.chart.chart.announceNodes(); } // drawn already
  }

  Timeline.prototype.extent = function () {
    var lo = Infinity;
    var hi = -Infinity;
    this.items.forEach(function (it) {
      lo = Math.min(lo, ms(it.when));
      hi = Math.max(hi, it.until ? ms(it.until) : ms(it.when));
    });
    if (!isFinite(lo)) { var now = Date.now(); return [now - 365 * DAY, now]; }
    var pad = Math.max(30 * DAY, (hi - lo) * 0.05);
    return [lo - pad, hi + pad];
  };

  Timeline.prototype.width = function () { return Math.max(300, this.canvas.clientWidth || 800); };

  Timeline.prototype.x = function (t) {
    var w = this.width() - LEFT - 10;
    return LEFT + ((t - this.window[0]) / (this.window[1] - this.window[0])) * w;
  };

  Timeline.prototype.timeAt = function (x) {
    var w = this.width() - LEFT - 10;
    return this.window[0] + ((x - LEFT) / w) * (this.window[1] - this.window[0]);
  };

  Timeline.prototype.zoom = function (factor, around) {
    if (!this.window) { return; }
    var mid = around || (this.window[0] + this.window[1]) / 2;
    var span = Math.max(7 * DAY, (this.window[1] - this.window[0]) * factor);
    var share = (mid - this.window[0]) / (this.window[1] - this.window[0]);
    this.window = [mid - span * share, mid + span * (1 - share)];
    this.draw();
  };

  Timeline.prototype.pan = function (share) {
    if (!this.window) { return; }
    var shift = (this.window[1] - this.window[0]) * share;
    this.window = [this.window[0] + shift, this.window[1] + shift];
    this.draw();
  };

  Timeline.prototype.choose = function (start, end) {
    this.period = start === null && end === null ? null : [start, end];
    if (this.chart) {
      this.chart.dispatchEvent(new CustomEvent('timeline:period', { detail: {
        from: start === null ? null : iso(start), to: end === null ? null : iso(end) } }));
    }
    this.draw();
  };

  Timeline.prototype.ticks = function () {
    var span = this.window[1] - this.window[0];
    var out = [];
    var d = new Date(this.window[0]);
    var monthly = span < 3 * 365 * DAY;
    var step = monthly ? (span < 200 * DAY ? 1 : 3) : Math.max(1, Math.round(span / (10 * 365 * DAY)));
    var t = monthly ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) : Date.UTC(d.getUTCFullYear(), 0, 1);
    while (t <= this.window[1] && out.length < 60) {
      var day = new Date(t);
      if (t >= this.window[0]) {
        out.push([t, monthly ? iso(t).slice(0, 7) : String(day.getUTCFullYear())]);
      }
      t = monthly ? Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + step, 1) :
        Date.UTC(day.getUTCFullYear() + step, 0, 1);
    }
    return out;
  };

  Timeline.prototype.draw = function () {
    if (!this.window) { return; }
    var self = this;
    var w = this.width();
    var h = AXIS_H + LANES.length * LANE_H + 6;
    var svg = el('svg', { width: w, height: h, 'class': 'timeline-svg', role: 'img',
      'aria-label': this.items.length + ' dated records from ' + iso(this.window[0]) + ' to ' + iso(this.window[1]) });
    this.ticks().forEach(function (tick) {
      var x = self.x(tick[0]);
      el('line', { x1: x, x2: x, y1: AXIS_H - 4, y2: h, 'class': 'timeline-grid' }, svg);
      el('text', { x: x + 2, y: AXIS_H - 8, 'class': 'timeline-tick' }, svg).textContent = tick[1];
    });
    LANES.forEach(function (lane, i) {
      var y = AXIS_H + i * LANE_H;
      el('text', { x: 4, y: y + LANE_H / 2 + 4, 'class': 'timeline-lane' }, svg).textContent = lane[1];
      el('line', { x1: LEFT, x2: w, y1: y + LANE_H, y2: y + LANE_H, 'class': 'timeline-rule' }, svg);
    });
    if (this.period) {
      var a = this.period[0] === null ? this.window[0] : this.period[0];
      var b = this.period[1] === null ? this.window[1] : this.period[1];
      el('rect', { x: Math.max(LEFT, this.x(a)), y: AXIS_H, height: h - AXIS_H,
        width: Math.max(2, Math.min(w, this.x(b)) - Math.max(LEFT, this.x(a))),
        'class': 'timeline-period' }, svg);
    }
    var anySelected = Object.keys(this.selected).length > 0;
    var drawn = 0;
    this.items.forEach(function (it) {
      var lane = LANES.map(function (l) { return l[0]; }).indexOf(laneOf(it));
      if (lane < 0) { return; }
      var start = ms(it.when);
      var end = it.until ? ms(it.until) : null;
      if ((end || start) < self.window[0] || start > self.window[1]) { return; }
      var y = AXIS_H + lane * LANE_H + LANE_H / 2;
      var cls = 'timeline-item timeline-item--' + (it.icon || it.kind) +
        (self.selected[it.id] ? ' is-highlighted' : (anySelected ? ' is-dimmed' : ''));
      var mark;
      if (end && end - start > DAY) {
        mark = el('rect', { x: Math.max(LEFT, self.x(start)), y: y - 6, height: 12, rx: 3,
          width: Math.max(4, Math.min(w, self.x(end)) - Math.max(LEFT, self.x(start))), 'class': cls }, svg);
      } else {
        mark = el('circle', { cx: self.x(start), cy: y, r: 5, 'class': cls }, svg);
      }
      mark.setAttribute('data-id', it.id);
      el('title', {}, mark).textContent = it.label + ' · ' + it.when + (it.until ? ' to ' + it.until : '');
      drawn += 1;
    });
    this.brush = el('rect', { x: 0, y: AXIS_H, width: 0, height: h - AXIS_H, 'class': 'timeline-brush' }, svg);
    this.canvas.replaceChildren(svg);
    this.box.setAttribute('data-timeline-items', String(drawn));
  };

  Timeline.prototype.drawBrush = function (a, b) {
    if (!this.brush) { return; }
    this.brush.setAttribute('x', String(a));
    this.brush.setAttribute('width', String(b - a));
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('.timeline-chart'), function (box) {
      box.timeline = new Timeline(box);
    });
  }

  // graph.js may have drawn the chart already: the constructor asks it for its records.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

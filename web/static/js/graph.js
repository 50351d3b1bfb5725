/*
 * graph.js: a link chart (cytoscape, fcose layout), reusable by any page.
 *
 * Interface: put an element with class "graph" on the page and either
 *   data-graph-url="/path/to/graph.json"   (fetched with the page's cookies), or
 *   data-graph-source="element-id"         (the id of a <script type="application/json"> block).
 * The data is {nodes, edges, total?, page?}:
 *   nodes: [{id, label, kind, icon?, when?, until?, hop?, root?, offender?, flagged?, href?}]
 *   (a node with an href expands in place from href's path + "/expand.json")
 *   edges: [{id, source, target, type, label?, grading?, dates?}]
 * icon (else kind) picks the picture in static/icons/; an edge's grading picks its line style
 * (A/B or 1–2 solid, C or 3 dashed, D/E or 4–5 dotted); dates show on hover.
 * Optional, when the page has them: a toolbar [data-chart=...] (fit, zoom, expand in place by
 * relation type, hide, pin, group by type, show hidden, lay out), keyboard access on the chart,
 * a timeline element (data-timeline="id", js/timeline.js) linked both ways, and an export
 * form (data-export-form="id") whose chart_state input gets the chart as it is now.
 * A node's busy neighbourhood (more than COLLAPSE_AT leaves of one kind) collapses into one
 * node ("+213 incidents") that opens a page at a time.
 * The element gets data-graph-ready="N" (N nodes in the data) when drawn, data-layout-ms with
 * the first layout's time, or data-graph-error. No inline styles or scripts (strict CSP).
 */
(function () {
  'use strict';

  var COLLAPSE_AT = 12; // leaves of one kind around a node before they collapse into one
  var OPEN_PAGE = 25; // members a collapsed group shows each time it is opened
  var MAX_ZOOM_ON_FIT = 1.5; // a two-node chart is not blown up to fill the frame
  var ICON_BASE = (function () {
    var me = document.currentScript && document.currentScript.src;
    return me ? me.replace(/js\/graph\.js.*$/, 'icons/') : '/static/icons/';
  }());
  var PLURAL = { person: 'people', address: 'addresses', vehicle: 'vehicles', phone: 'phones',
    incident: 'incidents', placement: 'placements', order: 'orders', plan: 'plans',
    flag: 'flags' };

  function lineStyle(grading) {
    var g = String(grading || '').toUpperCase();
    if (!g) { return 'solid'; }
    if (/^[DE]|^[45]$|^[A-E][45]$/.test(g)) { return 'dotted'; }
    if (/^C|^3$|^[AB]3$/.test(g)) { return 'dashed'; }
    return 'solid';
  }

  function style() {
    return [
      { selector: 'node', style: {
        'label': 'data(label)', 'font-size': 10, 'text-wrap': 'ellipsis', 'text-max-width': 110,
        'text-valign': 'bottom', 'text-margin-y': 3, 'width': 30, 'height': 30,
        'shape': 'ellipse', 'background-opacity': 0, 'background-image': 'data(image)',
        'background-fit': 'contain', 'background-clip': 'none', 'color': '#0b0c0c',
        'min-zoomed-font-size': 6 } },
      { selector: 'node[?root]', style: { 'width': 46, 'height': 46, 'font-weight': 'bold',
        'font-size': 12, 'border-width': 3, 'border-color': '#0b0c0c' } },
      { selector: 'node[?flagged]', style: { 'outline-width': 3, 'outline-color': '#ffdd00',
        'outline-offset': 2, 'outline-opacity': 1 } },
      { selector: 'node[?group]', style: { 'font-weight': 'bold', 'color': '#1d70b8',
        'text-decoration': 'underline' } },
      { selector: 'node.pinned', style: { 'border-width': 3, 'border-style': 'dashed',
        'border-color': '#0b0c0c' } },
      { selector: 'node.kind-box', style: { 'background-opacity': 0.06,
        'background-color': '#1d70b8', 'background-image': 'none', 'shape': 'round-rectangle',
        'text-valign': 'top', 'font-size': 12, 'font-weight': 'bold', 'border-width': 1,
        'border-color': '#b1b4b6' } },
      { selector: 'edge', style: {
        'width': 1.6, 'line-color': '#8a8f93', 'target-arrow-color': '#8a8f93',
        'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.8,
        'line-style': 'data(lineStyle)', 'label': 'data(label)', 'font-size': 8,
        'color': '#505a5f', 'text-rotation': 'autorotate', 'text-background-color': '#ffffff',
        'text-background-opacity': 0.85, 'min-zoomed-font-size': 7 } },
      { selector: '.hidden, .filtered', style: { 'display': 'none' } },
      { selector: 'node.highlight', style: { 'underlay-color': '#ffdd00',
        'underlay-opacity': 0.7, 'underlay-padding': 6 } },
      { selector: 'edge.highlight', style: { 'line-color': '#0b0c0c', 'width': 3 } },
      { selector: ':selected', style: { 'underlay-color': '#1d70b8', 'underlay-opacity': 0.45,
        'underlay-padding': 8 } }
    ];
  }

  function nodeElement(n) {
    var icon = n.icon || n.kind || 'other';
    return { group: 'nodes', data: Object.assign({}, n, { label: n.label || n.id, icon: icon,
      image: ICON_BASE + icon + '.svg' }) };
  }

  function edgeElement(e, i) {
    var label = e.label || (e.type || '').replace(/_/g, ' ').toLowerCase();
    return { group: 'edges', data: Object.assign({}, e, { id: e.id || ('e' + i), label: label,
      lineStyle: lineStyle(e.grading) }) };
  }

  // Cytoscape injects a <style> element (which the CSP refuses) unless an element with this id
  // exists; the rule it would add (position: relative) is in css/graph.css instead.
  function preventInjectedStyle() {
    var id = '__________cytoscape_stylesheet';
    if (!document.getElementById(id)) {
      var marker = document.createElement('meta');
      marker.id = id;
      document.head.appendChild(marker);
    }
  }

  function Chart(container, data) {
    this.container = container;
    this.expansions = []; // [node id, type, page] in the order the officer made them
    this.groups = {}; // collapsed group id → {anchor, kind, members, more, nextPage, type}
    this.grouped = false;
    this.period = null;
    this.status = document.getElementById('chart-status');
    this.timeline = document.getElementById(container.getAttribute('data-timeline') || '');
    preventInjectedStyle();
    var elements = (data.nodes || []).map(nodeElement)
      .concat((data.edges || []).map(edgeElement));
    this.cy = window.cytoscape({
      container: container, elements: elements, style: style(), wheelSensitivity: 0.3,
      minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: true
    });
    var root = this.cy.nodes('[?root]');
    if (root.length) {
      var loaded = this.cy.nodes('[hop = 1]').length;
      this.collapse(root[0], Math.max(0, (data.total || 0) - loaded), (data.page || 1) + 1, '');
      this.cy.nodes().forEach(function (n) {
        if (!n.data('root') && !n.data('group')) { this.collapse(n, 0, 0, ''); }
      }, this);
    }
    var started = performance.now();
    this.layout(true);
    container.setAttribute('data-layout-ms', String(Math.round(performance.now() - started)));
    this.wire();
    container.graph = this.cy;
    container.chart = this;
    container.setAttribute('data-graph-ready', String((data.nodes || []).length));
    this.announceNodes();
  }

  Chart.prototype.say = function (text) {
    if (this.status) { this.status.textContent = text; }
  };

  Chart.prototype.layout = function (randomize) {
    var cy = this.cy;
    var visible = cy.elements().not('.hidden, .filtered');
    var count = visible.nodes().length;
    var options;
    if (count > 1500) {
      options = { name: 'grid' };
    } else if (window.cytoscapeFcose || (cy.layout && hasExtension('fcose'))) {
      var fixed = cy.nodes('.pinned').map(function (n) {
        return { nodeId: n.id(), position: n.position() };
      });
      options = { name: 'fcose', animate: false, randomize: randomize, quality: 'default',
        nodeRepulsion: function () { return 6500; }, idealEdgeLength: function () { return 70; },
        nodeSeparation: 60, packComponents: true,
        fixedNodeConstraint: fixed.length ? fixed : undefined };
    } else {
      options = { name: 'cose', animate: false, randomize: false,
        nodeRepulsion: function () { return 8000; }, idealEdgeLength: function () { return 70; } };
    }
    visible.layout(options).run();
    this.fit();
  };

  function hasExtension(name) {
    try { return Boolean(window.cytoscape('layout', name)); } catch (err) { return false; }
  }

  Chart.prototype.fit = function () {
    var cy = this.cy;
    cy.fit(cy.elements().not('.hidden, .filtered'), 30);
    if (cy.zoom() > MAX_ZOOM_ON_FIT) {
      cy.zoom(MAX_ZOOM_ON_FIT);
      cy.center(cy.elements().not('.hidden, .filtered'));
    }
  };

  Chart.prototype.zoom = function (factor) {
    var cy = this.cy;
    cy.zoom({ level: cy.zoom() * factor,
      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  // Leaves of one kind around `anchor` beyond COLLAPSE_AT become one node that opens in pages;
  // `more` records of the anchor are still on the server (page `nextPage` onwards).
  Chart.prototype.collapse = function (anchor, more, nextPage, type) {
    var cy = this.cy;
    var byKind = {};
    anchor.neighborhood('node').forEach(function (n) {
      if (n.data('root') || n.data('group') || n.hasClass('pinned') || n.degree(false) !== 1 ||
          n.hasClass('hidden')) { return; }
      (byKind[n.data('kind')] = byKind[n.data('kind')] || []).push(n);
    });
    var biggest = null;
    Object.keys(byKind).forEach(function (kind) {
      if (!biggest || byKind[kind].length > byKind[biggest].length) { biggest = kind; }
    });
    Object.keys(byKind).forEach(function (kind) {
      var leaves = byKind[kind];
      var extra = kind === biggest ? more : 0;
      if (leaves.length <= COLLAPSE_AT && !(extra > 0 && leaves.length >= COLLAPSE_AT)) { return; }
      var gid = 'group:' + anchor.id() + ':' + kind;
      var group = this.groups[gid] || { anchor: anchor.id(), kind: kind, members: [], more: 0,
        nextPage: nextPage, type: type };
      leaves.forEach(function (n) {
        group.members.push({ node: n.json(), edges: n.connectedEdges().map(function (e) {
          return e.json(); }) });
      });
      group.more = extra;
      group.nextPage = nextPage;
      this.groups[gid] = group;
      cy.remove(cy.collection(leaves));
      if (!cy.getElementById(gid).length) {
        cy.add([{ group: 'nodes', data: { id: gid, kind: 'group', group: true, icon: 'group',
          image: ICON_BASE + 'group.svg', label: '' }, position: anchor.position() },
        { group: 'edges', data: { id: 'edge:' + gid, source: anchor.id(), target: gid,
          label: '', lineStyle: 'solid' } }]);
      }
      this.labelGroup(gid);
    }, this);
  };

  Chart.prototype.labelGroup = function (gid) {
    var group = this.groups[gid];
    var node = this.cy.getElementById(gid);
    var left = group.members.length + group.more;
    if (left <= 0) {
      node.remove();
      delete this.groups[gid];
      return;
    }
    node.data('label', '+' + left + ' ' + (PLURAL[group.kind] || group.kind) + (
      left > OPEN_PAGE ? ' (Enter: next ' + OPEN_PAGE + ')' : ''));
  };

  Chart.prototype.openGroup = function (gid) {
    var self = this;
    var group = this.groups[gid];
    if (!group) { return Promise.resolve(); }
    var fetched = Promise.resolve();
    if (!group.members.length && group.more > 0) {
      var anchor = this.cy.getElementById(group.anchor);
      fetched = this.fetchLinks(anchor, group.type, group.nextPage).then(function (data) {
        var known = {};
        self.cy.nodes().forEach(function (n) { known[n.id()] = true; });
        group.members.forEach(function (m) { known[m.node.data.id] = true; });
        var added = 0;
        data.nodes.forEach(function (n) {
          if (known[n.id] || n.root) { return; }
          added += 1;
          group.members.push({ node: nodeElement(n), edges: data.edges.filter(function (e) {
            return e.source === n.id || e.target === n.id;
          }).map(edgeElement) });
        });
        group.more = Math.max(0, group.more - data.nodes.filter(function (n) {
          return !n.root; }).length);
        if (data.page >= data.pages) { group.more = 0; }
        group.nextPage += 1;
      });
    }
    return fetched.then(function () {
      var cy = self.cy;
      var center = cy.getElementById(gid).position();
      var page = group.members.splice(0, OPEN_PAGE);
      page.forEach(function (m, i) {
        var angle = (2 * Math.PI * i) / Math.max(1, page.length);
        m.node.position = { x: center.x + 60 * Math.cos(angle), y: center.y + 60 * Math.sin(angle) };
        cy.add(m.node);
      });
      page.forEach(function (m) {
        m.edges.forEach(function (e) {
          if (!cy.getElementById(e.data.id).length && cy.getElementById(e.data.source).length &&
              cy.getElementById(e.data.target).length) { cy.add(e); }
        });
      });
      self.labelGroup(gid);
      self.layout(false);
      self.say('Opened ' + page.length + ' ' + (PLURAL[group.kind] || group.kind) + '.');
      self.announceNodes();
    });
  };

  Chart.prototype.fetchLinks = function (node, type, page) {
    var href = node.data('href');
    if (!href) { return Promise.reject(new Error('this record cannot be expanded here')); }
    var url = href.split('?')[0] + '/expand.json';
    var query = '?page=' + encodeURIComponent(page || 1) +
      (type ? '&type=' + encodeURIComponent(type) : '');
    var self = this;
    return fetch(url + query, { credentials: 'same-origin',
      headers: { 'Accept': 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error('the server answered ' + r.status); }
        return r.json(); })
      .then(function (data) {
        self.expansions.push([node.id(), type || '', page || 1]);
        return data;
      });
  };

  // Expand a node in place: its links (of one relation type, or all) join the chart.
  Chart.prototype.expand = function (node, type) {
    var self = this;
    var cy = this.cy;
    if (!node || node.data('group')) { return this.openGroup(node && node.id()); }
    return this.fetchLinks(node, type, 1).then(function (data) {
      var center = node.position();
      var added = 0;
      data.nodes.forEach(function (n, i) {
        var existing = cy.getElementById(n.id);
        if (existing.length) { existing.removeClass('hidden'); return; }
        if (self.groupHolding(n.id) !== null) { return; }
        var el = nodeElement(Object.assign({}, n, { root: false }));
        var angle = (2 * Math.PI * i) / Math.max(1, data.nodes.length);
        el.position = { x: center.x + 80 * Math.cos(angle), y: center.y + 80 * Math.sin(angle) };
        cy.add(el);
        added += 1;
      });
      data.edges.forEach(function (e, i) {
        // ids are stable per link: a second relation between the same pair has its own
        if (!cy.getElementById(e.id).length && self.groupHolding(e.id) === null &&
            cy.getElementById(e.source).length && cy.getElementById(e.target).length) {
          cy.add(edgeElement(e, i));
        }
      });
      var loaded = data.nodes.filter(function (n) { return !n.root; }).length;
      self.collapse(node, Math.max(0, (data.total || 0) - loaded), 2, type || '');
      self.layout(false);
      self.say('Expanded ' + node.data('label') + ': ' + added + ' new record' +
        (added === 1 ? '' : 's') + (type ? ' (' + type.replace(/_/g, ' ').toLowerCase() + ')' : '') + '.');
      self.container.setAttribute('data-expanded', String(self.expansions.length));
      self.announceNodes();
    }).catch(function (err) { self.say('Could not expand: ' + err.message); });
  };

  // The collapsed group holding a node or link, if any (so an expansion does not add it twice).
  Chart.prototype.groupHolding = function (id) {
    var found = null;
    Object.keys(this.groups).forEach(function (gid) {
      this.groups[gid].members.forEach(function (m) {
        if (m.node.data.id === id || m.edges.some(function (e) { return e.data.id === id; })) {
          found = gid;
        }
      });
    }, this);
    return found;
  };

  Chart.prototype.hide = function (nodes) {
    var hidden = nodes.filter(function (n) { return !n.data('root') && !n.isParent(); });
    hidden.addClass('hidden').unselect();
    this.say(hidden.length ? 'Hid ' + hidden.length + ' record' + (hidden.length === 1 ? '' : 's') +
      '. "Show hidden" brings them back.' : 'Select a record to hide first (the subject of the page stays).');
    this.announceNodes();
  };

  Chart.prototype.pin = function (nodes) {
    nodes.forEach(function (n) {
      if (n.hasClass('pinned')) { n.removeClass('pinned').unlock(); } else { n.addClass('pinned').lock(); }
    });
    this.say(nodes.length ? 'Pinned or unpinned ' + nodes.length + '.' : 'Select a record to pin first.');
  };

  Chart.prototype.toggleGroups = function () {
    var cy = this.cy;
    this.grouped = !this.grouped;
    if (this.grouped) {
      // the records on screen (not the subject, hidden ones or collapsed groups), by kind
      var members = cy.nodes().filter(function (n) {
        return !n.data('root') && !n.hasClass('kind-box') && !n.data('group') &&
          !n.hasClass('hidden');
      });
      var kinds = {};
      members.forEach(function (n) { kinds[n.data('kind')] = true; });
      Object.keys(kinds).forEach(function (kind) {
        cy.add({ group: 'nodes', classes: 'kind-box', data: { id: 'kind-box:' + kind,
          label: PLURAL[kind] || kind, kind: 'box' } });
      });
      members.forEach(function (n) { n.move({ parent: 'kind-box:' + n.data('kind') }); });
    } else {
      cy.nodes().forEach(function (n) { if (n.isChild()) { n.move({ parent: null }); } });
      cy.remove(cy.nodes('.kind-box'));
    }
    var button = document.querySelector('[data-chart="group"]');
    if (button) { button.setAttribute('aria-pressed', String(this.grouped)); }
    this.layout(false);
    this.say(this.grouped ? 'Records grouped by type.' : 'Groups removed.');
  };

  // Keyboard: move to the linked (else the nearest) record in the arrow's direction.
  Chart.prototype.move = function (dx, dy) {
    var cy = this.cy;
    var from = cy.nodes(':selected').first();
    if (!from.length) { from = cy.nodes('[?root]').first(); }
    if (!from.length) { from = cy.nodes().first(); }
    var p = from.position();
    var best = null;
    var bestScore = Infinity;
    cy.nodes().not('.hidden, .filtered, .kind-box').forEach(function (n) {
      if (n.same(from)) { return; }
      var q = n.position();
      var vx = q.x - p.x;
      var vy = q.y - p.y;
      var along = vx * dx + vy * dy;
      if (along <= 0) { return; }
      var across = Math.abs(vx * dy - vy * dx);
      if (across > along * 1.8) { return; }
      var score = along + 2 * across - (n.edgesWith(from).length ? 200 : 0);
      if (score < bestScore) { bestScore = score; best = n; }
    });
    this.select(best || from);
  };

  Chart.prototype.select = function (node) {
    var cy = this.cy;
    cy.elements().unselect();
    node.select();
    var ext = cy.extent();
    var p = node.position();
    if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) { cy.center(node); }
    this.describe(node);
  };

  Chart.prototype.describe = function (node) {
    var links = node.connectedEdges().not('.hidden, .filtered');
    var what = node.data('group') ? 'collapsed group, Enter opens it' :
      (node.data('kind') || '') + (node.data('when') ? ', ' + node.data('when') : '');
    this.say('Selected ' + node.data('label') + ' (' + what + '), ' + links.length + ' link' +
      (links.length === 1 ? '' : 's') + ': ' + links.map(function (e) {
        return e.data('label') + (e.data('dates') ? ' ' + e.data('dates') : '');
      }).slice(0, 6).join('; ') + '.');
  };

  Chart.prototype.activate = function (node) {
    if (node.data('group')) { return this.openGroup(node.id()); }
    if (node.data('href') && !node.data('root')) { window.location.assign(node.data('href')); }
  };

  // The timeline's chosen period hides dated records outside it (undated ones stay).
  Chart.prototype.filterPeriod = function (from, to) {
    var cy = this.cy;
    this.period = from || to ? [from, to] : null;
    var out = 0;
    cy.nodes().forEach(function (n) {
      var start = n.data('when');
      var end = n.data('until') || start;
      var outside = Boolean(start) && ((from && end < from) || (to && start > to));
      n.toggleClass('filtered', outside);
      if (outside) { out += 1; }
    });
    this.container.setAttribute('data-filtered', String(out));
    this.say(this.period ? 'Showing records dated ' + (from || 'any time') + ' to ' +
      (to || 'now') + ': ' + out + ' outside that period hidden.' : 'Showing all dates.');
  };

  Chart.prototype.announceNodes = function () {
    if (!this.timeline) { return; }
    var nodes = this.cy.nodes('[when]').not('.hidden').map(function (n) {
      return { id: n.id(), label: n.data('label'), kind: n.data('kind'), icon: n.data('icon'),
        when: n.data('when'), until: n.data('until') || '' };
    }).filter(function (n) { return n.when; });
    this.timeline.dispatchEvent(new CustomEvent('chart:nodes', { detail: { nodes: nodes } }));
  };

  Chart.prototype.state = function () {
    var shown = this.cy.nodes().not('.hidden, .filtered, .kind-box').filter(function (n) {
      return !n.data('group');
    }).map(function (n) { return n.id(); });
    return JSON.stringify({ expansions: this.expansions, shown: shown });
  };

  Chart.prototype.wire = function () {
    var self = this;
    var cy = this.cy;
    var container = this.container;
    var tip = document.createElement('div');
    tip.className = 'graph-tip';
    tip.hidden = true;
    container.appendChild(tip);
    cy.on('mouseover', 'node, edge', function (evt) {
      var t = evt.target;
      var text = t.isEdge() ? t.data('label') + (t.data('grading') ? ' · graded ' + t.data('grading') : '') +
        (t.data('dates') ? ' · ' + t.data('dates') : '') :
        t.data('label') + (t.data('when') ? ' · ' + t.data('when') + (t.data('until') ? ' to ' + t.data('until') : '') : '');
      tip.textContent = text;
      tip.hidden = false;
      tip.style.left = (evt.renderedPosition.x + 12) + 'px';
      tip.style.top = (evt.renderedPosition.y + 12) + 'px';
    });
    cy.on('mouseout', 'node, edge', function () { tip.hidden = true; });
    cy.on('dbltap', 'node', function (evt) { self.activate(evt.target); });
    cy.on('tap', 'node', function (evt) {
      if (evt.target.data('group')) { self.openGroup(evt.target.id()); return; }
      self.describe(evt.target);
    });
    cy.on('select unselect', 'node', function () {
      cy.elements().removeClass('highlight');
      var chosen = cy.nodes(':selected');
      chosen.connectedEdges().addClass('highlight');
      if (self.timeline) {
        var ids = chosen.union(chosen.neighborhood('node')).map(function (n) { return n.id(); });
        self.timeline.dispatchEvent(new CustomEvent('chart:select', { detail: {
          ids: chosen.length ? ids : [] } }));
      }
    });
    container.tabIndex = 0;
    container.addEventListener('focus', function () {
      if (!cy.nodes(':selected').length && cy.nodes('[?root]').length) {
        self.select(cy.nodes('[?root]').first());
      }
    });
    var typeChoice = document.getElementById('expand-type');
    var commands = {
      fit: function () { self.fit(); },
      'zoom-in': function () { self.zoom(1.25); },
      'zoom-out': function () { self.zoom(0.8); },
      expand: function () {
        var chosen = cy.nodes(':selected').first();
        if (!chosen.length) { self.say('Select a record to expand first.'); return; }
        self.expand(chosen, typeChoice ? typeChoice.value : '');
      },
      hide: function () { self.hide(cy.nodes(':selected')); },
      pin: function () { self.pin(cy.nodes(':selected')); },
      group: function () { self.toggleGroups(); },
      'show-all': function () { cy.elements().removeClass('hidden'); self.announceNodes();
        self.say('Hidden records shown again.'); },
      layout: function () { self.layout(true); }
    };
    Array.prototype.forEach.call(document.querySelectorAll('[data-chart]'), function (button) {
      var command = commands[button.getAttribute('data-chart')];
      if (command && button.tagName === 'BUTTON') { button.addEventListener('click', command); }
    });
    var keys = { e: 'expand', h: 'hide', p: 'pin', g: 'group', f: 'fit', l: 'layout',
      '+': 'zoom-in', '=': 'zoom-in', '-': 'zoom-out' };
    var arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    container.addEventListener('keydown', function (evt) {
      if (arrows[evt.key]) {
        evt.preventDefault();
        self.move(arrows[evt.key][0], arrows[evt.key][1]);
      } else if (evt.key === 'Enter') {
        var chosen = cy.nodes(':selected').first();
        if (chosen.length) { evt.preventDefault(); self.activate(chosen); }
      } else if (evt.key === 'Escape') {
        cy.elements().unselect();
      } else if (keys[evt.key] && !evt.ctrlKey && !evt.metaKey && !evt.altKey) {
        evt.preventDefault();
        commands[keys[evt.key]]();
      }
    });
    container.addEventListener('timeline:period', function (evt) {
      self.filterPeriod(evt.detail.from, evt.detail.to);
    });
    var form = document.getElementById(container.getAttribute('data-export-form') || '');
    if (form) {
      form.addEventListener('submit', function () {
        var input = form.querySelector('[name="chart_state"]');
        if (input) { input.value = self.state(); }
      });
    }
  };

  function load(container) {
    var sourceId = container.getAttribute('data-graph-source');
    var url = container.getAttribute('data-graph-url');
    var fail = function (message) {
      container.setAttribute('data-graph-error', message);
      container.textContent = 'The link chart could not be drawn: ' + message;
    };
    var draw = function (data) {
      if (typeof window.cytoscape !== 'function') { throw new Error('the graph library did not load'); }
      return new Chart(container, data);
    };
    try {
      if (sourceId) {
        var block = document.getElementById(sourceId);
        if (!block) { return fail('no data block #' + sourceId); }
        draw(JSON.parse(block.textContent));
      } else if (url) {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
          .then(function (r) { if (!r.ok) { throw new Error('the server answered ' + r.status); }
            return r.json(); })
          .then(draw)
          .catch(function (err) { fail(err.message); });
      }
    } catch (err) {
      fail(err.message);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('.graph'), load);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

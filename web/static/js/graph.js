/*
 * graph.js: an interactive graph picture (cytoscape), reusable by any page.
 *
 * Interface: put an element with class "graph" on the page and either
 *   data-graph-url="/path/to/graph.json"   (fetched with the page's cookies), or
 *   data-graph-source="element-id"         (the id of a <script type="application/json"> block).
 * The data is {nodes, edges}:
 *   nodes: [{id, label, kind, hop?, root?, offender?, flagged?, href?}]
 *   edges: [{id, source, target, type}]
 * kind (person, address, vehicle, phone, incident, placement, order, plan, flag, or anything
 * else) picks the shape and colour; root, offender and flagged are highlighted; a node with an
 * href opens that page when clicked (or on Enter when selected). The element gets
 * data-graph-ready="N" (N nodes drawn) when the picture is done, or data-graph-error.
 * No inline styles or scripts (strict CSP): sizes come from css/graph.css.
 */
(function () {
  'use strict';

  var SHAPES = {
    person: ['ellipse', '#1d70b8'], address: ['round-rectangle', '#00703c'],
    vehicle: ['triangle', '#6f72af'], phone: ['diamond', '#912b88'],
    incident: ['hexagon', '#b58840'], placement: ['round-tag', '#28a197'],
    order: ['rectangle', '#5694ca'], plan: ['star', '#d4351c'], flag: ['octagon', '#d4351c']
  };

  function style() {
    var rules = [
      { selector: 'node', style: {
        'label': 'data(label)', 'font-size': 10, 'text-wrap': 'ellipsis', 'text-max-width': 120,
        'text-valign': 'bottom', 'text-margin-y': 3, 'width': 22, 'height': 22,
        'background-color': '#505a5f', 'color': '#0b0c0c' } },
      { selector: 'edge', style: {
        'width': 1.5, 'line-color': '#b1b4b6', 'target-arrow-color': '#b1b4b6',
        'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'arrow-scale': 0.8,
        'label': 'data(label)', 'font-size': 7, 'color': '#505a5f',
        'text-rotation': 'autorotate', 'text-background-color': '#ffffff',
        'text-background-opacity': 0.8 } },
      { selector: 'node[?root]', style: { 'width': 36, 'height': 36, 'border-width': 4,
        'border-color': '#0b0c0c', 'font-weight': 'bold' } },
      { selector: 'node[?offender]', style: { 'border-width': 4, 'border-color': '#d4351c' } },
      { selector: 'node[?flagged]', style: { 'outline-width': 3, 'outline-color': '#ffdd00',
        'outline-offset': 2, 'outline-opacity': 1 } },
      { selector: ':selected', style: { 'overlay-color': '#ffdd00', 'overlay-opacity': 0.4 } }
    ];
    Object.keys(SHAPES).forEach(function (kind) {
      rules.push({ selector: 'node[kind = "' + kind + '"]',
        style: { 'shape': SHAPES[kind][0], 'background-color': SHAPES[kind][1] } });
    });
    return rules;
  }

  function elements(data) {
    var nodes = (data.nodes || []).map(function (n) {
      return { group: 'nodes', data: Object.assign({}, n, { label: n.label || n.id }) };
    });
    var edges = (data.edges || []).map(function (e, i) {
      return { group: 'edges', data: { id: e.id || ('e' + i), source: e.source,
        target: e.target, label: (e.type || '').replace(/_/g, ' ').toLowerCase() } };
    });
    return nodes.concat(edges);
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

  function draw(container, data) {
    if (typeof window.cytoscape !== 'function') {
      throw new Error('the graph library did not load');
    }
    preventInjectedStyle();
    var count = (data.nodes || []).length;
    var cy = window.cytoscape({
      container: container, elements: elements(data), style: style(),
      layout: count > 400 ? { name: 'grid' } : { name: 'cose', animate: false, randomize: false,
        nodeRepulsion: function () { return 8000; }, idealEdgeLength: function () { return 70; } },
      wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4
    });
    cy.on('tap', 'node', function (evt) {
      var href = evt.target.data('href');
      if (href && !evt.target.data('root')) { window.location.assign(href); }
    });
    container.tabIndex = 0;
    container.addEventListener('keydown', function (evt) {
      if (evt.key !== 'Enter') { return; }
      var chosen = cy.$('node:selected');
      if (chosen.length && chosen[0].data('href')) { window.location.assign(chosen[0].data('href')); }
    });
    container.graph = cy;
    container.setAttribute('data-graph-ready', String(count));
  }

  function load(container) {
    var sourceId = container.getAttribute('data-graph-source');
    var url = container.getAttribute('data-graph-url');
    var fail = function (message) {
      container.setAttribute('data-graph-error', message);
      container.textContent = 'The graph picture could not be drawn: ' + message;
    };
    try {
      if (sourceId) {
        var block = document.getElementById(sourceId);
        if (!block) { return fail('no data block #' + sourceId); }
        draw(container, JSON.parse(block.textContent));
      } else if (url) {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
          .then(function (r) { if (!r.ok) { throw new Error('the server answered ' + r.status); }
            return r.json(); })
          .then(function (data) { draw(container, data); })
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

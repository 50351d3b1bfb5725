/*
 * search.js: keyboard first. "/" anywhere (outside a text field) goes to the search box;
 * arrow keys move through the results' links; Enter opens one. No inline script (strict CSP).
 */
(function () {
  'use strict';

  function links() {
    return Array.prototype.slice.call(document.querySelectorAll('#results .result__title a'));
  }

  document.addEventListener('keydown', function (evt) {
    var target = evt.target;
    var typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' ||
      target.tagName === 'SELECT' || target.isContentEditable);
    if (evt.key === '/' && !typing && !evt.ctrlKey && !evt.metaKey && !evt.altKey) {
      var box = document.getElementById('q');
      if (box) { evt.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (evt.key !== 'ArrowDown' && evt.key !== 'ArrowUp') { return; }
    var all = links();
    if (!all.length) { return; }
    var at = all.indexOf(document.activeElement);
    if (target && target.id === 'q' && evt.key === 'ArrowDown') { at = -1; } else if (at < 0 && typing) { return; }
    evt.preventDefault();
    var next = evt.key === 'ArrowDown' ? Math.min(all.length - 1, at + 1) : Math.max(0, at - 1);
    all[next].focus();
    all[next].closest('.result').scrollIntoView({ block: 'nearest' });
  });

  function start() {
    // After a search the first result has the focus, so arrow keys and Enter work at once.
    var all = links();
    if (all.length) { all[0].focus(); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

// The bulk form of a list, with JavaScript: the count follows the ticks, a
// box in the header ticks the whole page, and shift-click ticks a range.
// Without it the form still works: tick boxes, or choose "All on this page".
// Events are delegated, so rows a live list replaces keep working.
(function () {
  'use strict';
  var form = document.querySelector('[data-bulk]');
  if (!form) return;
  var count = form.querySelector('[data-bulk-count]');
  var ticked = form.querySelector('input[name="bulkScope"][value="selected"]');
  var last = null;

  function items() { return Array.prototype.slice.call(document.querySelectorAll('[data-bulk-item]')); }
  function all() { return document.querySelector('[data-bulk-all]'); }

  function update() {
    var boxes = items();
    var n = boxes.filter(function (box) { return box.checked; }).length;
    if (count && !count.classList.contains('field__error')) {
      count.textContent = n === 0 ? 'Tick claims in the list, or choose the whole page or every claim that matches.' : n + (n === 1 ? ' claim' : ' claims') + ' ticked.';
    }
    var head = all();
    if (head) {
      head.hidden = false;
      head.checked = n > 0 && n === boxes.length;
      head.indeterminate = n > 0 && n < boxes.length;
    }
    if (n > 0 && ticked) ticked.checked = true;
  }

  document.addEventListener('click', function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute('data-bulk-item')) return;
    var boxes = items();
    var i = boxes.indexOf(box);
    if (event.shiftKey && last !== null && last !== i && last < boxes.length) {
      var from = Math.min(last, i);
      var to = Math.max(last, i);
      for (var k = from; k <= to; k++) boxes[k].checked = box.checked;
    }
    last = i;
    update();
  });
  document.addEventListener('change', function (event) {
    if (event.target !== all()) return;
    var on = all().checked;
    items().forEach(function (box) { box.checked = on; });
    update();
  });
  update();
})();

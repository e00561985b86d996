// Review queue: notice when others take or decide claims. On a server
// database the page listens to server-sent events; on the embedded one it
// polls a change counter. Without JavaScript the page works as it is.
(function () {
  'use strict';
  var region = document.querySelector('[data-live-queue]');
  if (!region) return;
  var stamp = region.getAttribute('data-stamp');
  var busy = false;

  // Replace the queue with the latest, unless the reader is in the middle of a form.
  function refresh() {
    if (busy) return;
    var active = document.activeElement;
    // Ticked claims of the bulk form are a selection in progress: keep them, and say the queue changed.
    var selecting = region.querySelector('[data-bulk-item]:checked');
    if (selecting || (active && region.contains(active) && /INPUT|SELECT|TEXTAREA|BUTTON/.test(active.tagName))) {
      region.querySelector('[data-live-notice]').hidden = false;
      return;
    }
    busy = true;
    fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('[data-live-queue]');
        if (!fresh) return;
        region.innerHTML = fresh.innerHTML;
        stamp = fresh.getAttribute('data-stamp');
      })
      .catch(function () { /* try again on the next change */ })
      .then(function () { busy = false; });
  }

  function poll() {
    fetch('/api/review/state', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (state) { if (state && String(state.stamp) !== stamp) refresh(); })
      .catch(function () { /* the next poll tries again */ });
  }

  if (region.getAttribute('data-mode') === 'sse' && window.EventSource) {
    var source = new EventSource('/review/events');
    source.addEventListener('queue', refresh);
    source.onerror = function () { source.close(); setInterval(poll, 10000); };
  } else {
    setInterval(poll, 10000);
  }
})();

// Claim page: search the source library as you type when adding evidence,
// and show the new-source fields only when a new source is chosen.
(function () {
  'use strict';
  var search = document.querySelector('[data-source-search]');
  var form = document.querySelector('[data-evidence-form]');
  if (!search || !form) return;
  var input = search.querySelector('input[name="sourceQuery"]');
  var choices = form.querySelector('[data-source-choices]');
  var newSource = form.querySelector('[data-new-source]');
  var timer = null;

  function syncNewSource() {
    var chosen = form.querySelector('input[name="sourceId"]:checked');
    newSource.hidden = Boolean(chosen && chosen.value !== '');
  }

  function option(source, first) {
    var item = document.createElement('div');
    item.className = 'radios__item';
    var radio = document.createElement('input');
    radio.className = 'radios__input';
    radio.type = 'radio';
    radio.name = 'sourceId';
    radio.value = String(source.id);
    radio.id = first ? 'field-sourceId' : 'field-sourceId-' + source.id;
    var label = document.createElement('label');
    label.className = 'radios__label user-text';
    label.htmlFor = radio.id;
    label.textContent = source.title + ' (' + source.reliability + ')';
    var hint = document.createElement('p');
    hint.className = 'radios__hint user-text';
    hint.textContent = [source.publisher, source.url].filter(Boolean).join(' · ');
    item.append(radio, label, hint);
    return item;
  }

  function show(sources) {
    var keep = choices.querySelector('input[name="sourceId"][value=""]').closest('.radios__item');
    choices.textContent = '';
    sources.forEach(function (s, i) { choices.appendChild(option(s, i === 0)); });
    keep.querySelector('input').id = sources.length ? 'field-sourceId-new' : 'field-sourceId';
    keep.querySelector('label').htmlFor = keep.querySelector('input').id;
    choices.appendChild(keep);
    syncNewSource();
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      fetch('/api/sources?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) { return res.ok ? res.json() : { sources: [] }; })
        .then(function (data) { show(data.sources); })
        .catch(function () { /* the Search button still works */ });
    }, 250);
  });
  search.addEventListener('submit', function (event) {
    if (input.value.trim().length >= 2) { event.preventDefault(); input.dispatchEvent(new Event('input')); }
  });
  choices.addEventListener('change', syncNewSource);
  syncNewSource();
})();

// Claim page: search the source library as you type when adding evidence,
// and show the new-source fields only when a new source is chosen.
(function () {
  'use strict';
  var search = document.querySelector('[data-source-search]');
  var form = document.querySelector('[data-evidence-form]');
  if (!search || !form) return;
  var input = search.querySelector('input[name="sourceQuery"]');
  var choices = form.querySelector('[data-source-choices]');
  var status = form.querySelector('[data-source-status]');
  var newSource = form.querySelector('[data-new-source]');
  var linked = JSON.parse(choices.getAttribute('data-linked') || '[]');
  var reliabilityLabels = JSON.parse(choices.getAttribute('data-reliability-labels') || '{}');
  var timer = null;
  var latest = 0;

  function syncNewSource() {
    var chosen = form.querySelector('input[name="sourceId"]:checked');
    newSource.hidden = Boolean(chosen && chosen.value !== '');
  }

  // The first choice carries the field's id (the error summary links to it), the others their value's.
  function renumber() {
    choices.querySelectorAll('.radios__item').forEach(function (item, i) {
      var radio = item.querySelector('input');
      radio.id = i === 0 ? 'field-sourceId' : 'field-sourceId-' + (radio.value === '' ? 'new' : radio.value);
      item.querySelector('label').htmlFor = radio.id;
      var hint = item.querySelector('.radios__hint');
      if (hint) {
        hint.id = radio.id + '-hint';
        radio.setAttribute('aria-describedby', hint.id);
      }
    });
  }

  function option(source) {
    var item = document.createElement('div');
    item.className = 'radios__item';
    var radio = document.createElement('input');
    radio.className = 'radios__input';
    radio.type = 'radio';
    radio.name = 'sourceId';
    radio.value = String(source.id);
    var label = document.createElement('label');
    label.className = 'radios__label user-text';
    var badge = document.createElement('abbr');
    badge.className = 'badge rating';
    badge.title = reliabilityLabels[source.reliability] || '';
    badge.textContent = source.reliability;
    label.append(source.title + ' ', badge);
    var hint = document.createElement('p');
    hint.className = 'radios__hint user-text';
    hint.textContent = [
      source.publisher,
      source.url,
      reliabilityLabels[source.reliability] ? 'Reliability ' + reliabilityLabels[source.reliability] : null,
      linked.indexOf(source.id) !== -1 ? 'Already linked to this claim' : null,
    ].filter(Boolean).join(' · ');
    item.append(radio, label, hint);
    return item;
  }

  function show(sources, q) {
    var chosen = choices.querySelector('input[name="sourceId"]:checked');
    var keepNew = choices.querySelector('input[name="sourceId"][value=""]').closest('.radios__item');
    // A library source already chosen stays listed and chosen, whatever the new search finds.
    var keepChosen = chosen && chosen.value !== '' && !sources.some(function (s) { return String(s.id) === chosen.value; }) ? chosen.closest('.radios__item') : null;
    choices.textContent = '';
    if (keepChosen) choices.appendChild(keepChosen);
    sources.forEach(function (s) { choices.appendChild(option(s)); });
    choices.appendChild(keepNew);
    if (chosen) {
      var again = choices.querySelector('input[name="sourceId"][value="' + chosen.value + '"]');
      if (again) again.checked = true;
    }
    renumber();
    status.textContent = status.getAttribute(sources.length ? 'data-found' : 'data-none').replace('{q}', q);
    syncNewSource();
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      var asked = ++latest;
      fetch('/api/sources?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) { return res.ok ? res.json() : { sources: [] }; })
        // An answer to an older search that arrives late is not shown over a newer one.
        .then(function (data) { if (asked === latest) show(data.sources, q); })
        .catch(function () { /* the Search button still works */ });
    }, 250);
  });
  search.addEventListener('submit', function (event) {
    if (input.value.trim().length >= 2) { event.preventDefault(); input.dispatchEvent(new Event('input')); }
  });
  choices.addEventListener('change', syncNewSource);
  syncNewSource();
})();

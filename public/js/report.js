// Report page: select a passage in the text to log it as a claim.
// Offsets count UTF-16 code units of the report body, which is what the
// paragraphs' text nodes hold (labels marked data-offset-skip excepted).
(function () {
  'use strict';
  var text = document.querySelector('[data-report-text]');
  var form = document.querySelector('[data-log-form]');
  if (!text) return;

  // Clicking a highlighted passage (without selecting text) opens its claim.
  text.addEventListener('click', function (event) {
    var mark = event.target.closest && event.target.closest('mark[data-claim-id]');
    var selection = window.getSelection();
    if (mark && selection && selection.isCollapsed) window.location.href = '/claims/' + mark.getAttribute('data-claim-id');
  });

  // A suggestion's reasons show on hover and focus; Escape hides them until the pointer or focus moves on.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    text.querySelectorAll('.suggestion-label:hover, .suggestion-label:focus').forEach(function (label) {
      label.classList.add('suggestion-label--quiet');
    });
  });
  ['mouseout', 'focusout'].forEach(function (type) {
    text.addEventListener(type, function (event) {
      var label = event.target.closest && event.target.closest('.suggestion-label');
      if (label) label.classList.remove('suggestion-label--quiet');
    });
  });

  if (!form) return;
  var quote = form.querySelector('[name="quote"]');
  var fields = {};
  form.querySelectorAll('[data-anchor]').forEach(function (input) { fields[input.getAttribute('data-anchor')] = input; });

  function skipped(node) {
    for (var el = node.parentNode; el && el !== text; el = el.parentNode) {
      if (el.hasAttribute && el.hasAttribute('data-offset-skip')) return true;
    }
    return false;
  }

  // The paragraph's text nodes, in order, without labels.
  function textNodes(paragraph) {
    var walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) if (!skipped(n)) nodes.push(n);
    return nodes;
  }

  // Offset of the point (node, offset) from the start of its paragraph, counting only body text.
  function offsetIn(paragraph, node, offset) {
    var range = document.createRange();
    range.setStart(paragraph, 0);
    range.setEnd(node, offset);
    var count = 0;
    var nodes = textNodes(paragraph);
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n === node) return count + offset;
      if (range.comparePoint(n, n.data.length) !== 0) break;
      count += n.data.length;
    }
    return count;
  }

  function paragraphOf(node) {
    var el = node.nodeType === Node.TEXT_NODE ? node.parentNode : node;
    return el && el.closest ? el.closest('[data-report-text] p[data-start]') : null;
  }

  // Up to 32 code units of context on each side of a quote, never half an
  // emoji: a cut that falls inside a surrogate pair moves to keep it out,
  // as the server's anchorAt does.
  var CONTEXT = 32;
  function splitsPair(str, i) {
    if (i <= 0 || i >= str.length) return false;
    var before = str.charCodeAt(i - 1);
    var after = str.charCodeAt(i);
    return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
  }
  function contextStart(str, start) {
    var from = Math.max(0, start - CONTEXT);
    return splitsPair(str, from) ? from + 1 : from;
  }
  function contextEnd(str, end) {
    var to = Math.min(str.length, end + CONTEXT);
    return splitsPair(str, to) ? to - 1 : to;
  }

  var notice = document.createElement('p');
  notice.className = 'field__hint';
  notice.setAttribute('role', 'status');
  quote.parentNode.insertBefore(notice, quote);

  function onSelect() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    var startP = paragraphOf(range.startContainer);
    var endP = paragraphOf(range.endContainer);
    if (!startP || startP !== endP) {
      notice.textContent = 'Select a passage within one paragraph.';
      return;
    }
    var local = [offsetIn(startP, range.startContainer, range.startOffset), offsetIn(startP, range.endContainer, range.endOffset)];
    if (local[0] === null || local[1] === null || local[1] <= local[0]) return;
    var whole = textNodes(startP).map(function (n) { return n.data; }).join('');
    var s = local[0];
    var e = local[1];
    // Leave out spaces caught at either end of the selection.
    while (s < e && /\s/.test(whole.charAt(s))) s++;
    while (e > s && /\s/.test(whole.charAt(e - 1))) e--;
    if (e <= s) return;
    var base = Number(startP.getAttribute('data-start'));
    quote.value = whole.slice(s, e);
    fields.start.value = String(base + s);
    fields.end.value = String(base + e);
    fields.prefix.value = whole.slice(contextStart(whole, s), s);
    fields.suffix.value = whole.slice(e, contextEnd(whole, e));
    notice.textContent = 'Quote taken from your selection. Now write the checkable statement.';
    form.closest('[data-log-panel]').scrollIntoView({ block: 'nearest' });
  }

  text.addEventListener('mouseup', function () { setTimeout(onSelect, 0); });
  text.addEventListener('keyup', function (event) { if (event.shiftKey) onSelect(); });

  // Claimants already used on the desk, suggested as the editor types.
  var claimant = form.querySelector('[name="claimant"]');
  var options = document.getElementById('claimant-options');
  var own = options ? Array.prototype.map.call(options.options, function (o) { return o.value; }) : [];
  var timer = null;
  if (claimant && options) {
    claimant.addEventListener('input', function () {
      clearTimeout(timer);
      var q = claimant.value.trim();
      if (!q) return;
      timer = setTimeout(function () {
        fetch('/api/claimants?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (res) { return res.ok ? res.json() : { claimants: [] }; })
          .then(function (data) {
            var names = own.concat(data.claimants.filter(function (c) { return own.indexOf(c) === -1; }));
            options.textContent = '';
            names.forEach(function (name) { var o = document.createElement('option'); o.value = name; options.appendChild(o); });
          })
          .catch(function () { /* suggestions are a convenience */ });
      }, 200);
    });
  }

  // Earlier claims the statement may repeat, looked for as the editor types
  // (after a pause) or when they press the button; without JavaScript the claim
  // page shows them once the claim is logged.
  var check = form.querySelector('[data-repeat-check]');
  var statement = form.querySelector('[name="statement"]');
  if (check && statement) {
    var button = check.querySelector('[data-repeat-button]');
    var results = check.querySelector('[data-repeat-results]');
    var asked = '';
    var repeatTimer = null;
    var lookUp = function (force) {
      var text = statement.value.trim();
      if (!text || (text === asked && !force)) return;
      asked = text;
      results.textContent = 'Looking for earlier claims…';
      fetch('/api/repeats?statement=' + encodeURIComponent(text), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) { return res.ok ? res.json() : { matches: [] }; })
        .then(function (data) {
          if (statement.value.trim() !== text) return;
          results.textContent = '';
          if (!data.matches.length) { results.textContent = 'No earlier claim found that this one may repeat.'; return; }
          var heading = document.createElement('p');
          heading.textContent = data.matches.length === 1 ? 'An earlier claim may be the same claim:' : data.matches.length + ' earlier claims may be the same claim:';
          results.appendChild(heading);
          var list = document.createElement('ul');
          list.className = 'plain-list';
          data.matches.forEach(function (m) {
            var item = document.createElement('li');
            item.className = 'repeat' + (m.level === 'confident' ? ' repeat--confident' : '');
            var line = document.createElement('p');
            var link = document.createElement('a');
            link.href = m.url;
            link.textContent = '#' + m.id;
            var strong = document.createElement('strong');
            strong.textContent = (m.level === 'confident' ? 'Very likely the same as ' : 'Possibly the same as ');
            strong.appendChild(link);
            line.appendChild(strong);
            line.appendChild(document.createTextNode(', ' + (m.verdict ? m.status + ' (' + m.verdict + ')' : m.status) + ': ' + m.statement));
            var why = document.createElement('p');
            why.className = 'small muted';
            why.textContent = 'Why: ' + m.reasons.join('; ') + '.';
            item.appendChild(line);
            item.appendChild(why);
            list.appendChild(item);
          });
          results.appendChild(list);
          var after = document.createElement('p');
          after.className = 'small muted';
          after.textContent = 'Log the claim, then confirm the match on its page.';
          results.appendChild(after);
        })
        .catch(function () { results.textContent = ''; asked = ''; });
    };
    button.hidden = false;
    button.addEventListener('click', function () { lookUp(true); });
    statement.addEventListener('input', function () {
      clearTimeout(repeatTimer);
      if (statement.value.trim().split(/\s+/).length < 4) return;
      repeatTimer = setTimeout(function () { lookUp(false); }, 800);
    });
  }

  // A quote typed or pasted by hand is searched for by the server.
  quote.addEventListener('input', function () {
    fields.start.value = '';
    fields.end.value = '';
    fields.prefix.value = '';
    fields.suffix.value = '';
    notice.textContent = '';
  });
})();

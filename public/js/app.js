// Small enhancements for every page; each page works without them.
(function () {
  'use strict';

  // Move focus to the error summary so screen reader and keyboard users hear it first.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  // Read-only inputs holding a link or token select their text when focused.
  document.querySelectorAll('[data-select-on-focus]').forEach(function (input) {
    input.addEventListener('focus', function () { input.select(); });
  });

  // Copy buttons, shown only where the browser can copy (a secure context).
  document.querySelectorAll('[data-copy-controls]').forEach(function (controls) {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    var button = controls.querySelector('[data-copy]');
    var status = controls.querySelector('[data-copy-status]');
    var source = button && document.getElementById(button.getAttribute('data-copy'));
    if (!source || !status) return;
    controls.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = '';
      navigator.clipboard.writeText(source.value).then(
        function () { status.textContent = 'Copied'; },
        function () {
          source.focus();
          source.select();
          status.textContent = 'Your browser did not copy it: the link is selected, copy it with Ctrl+C (or Cmd+C).';
        }
      );
    });
  });

  // Print buttons (no inline handlers: the CSP allows none).
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });

  // Buttons that need a second thought ask before submitting.
  document.querySelectorAll('[data-confirm]').forEach(function (el) {
    el.addEventListener('click', function (event) {
      if (!window.confirm(el.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();

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

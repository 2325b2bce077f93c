// Behaviour shared by every page. The Content-Security-Policy runs only the portal's own files: no inline
// script and no on… attribute, so the markup says what it needs with data- attributes and this file acts.
(function () {
  "use strict";

  function enhance(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    root.querySelectorAll("button[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // Bars of completion: a style attribute would be refused, a style set from a script file is not.
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.dataset.width) || 0)) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { enhance(event.target); }
  });
}());

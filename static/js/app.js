// Behaviour every page shares, bound by data attributes instead of inline handlers (onchange=, onsubmit=), which
// the Content-Security-Policy (script-src 'self') would block. Delegated from the document, so content swapped
// in by htmx works without binding again.
(function () {
  // <select data-autosubmit>: choosing a value submits its form (the <noscript> button does it without JS).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });

  // <form data-confirm="question">: submitting asks first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <td data-heat="#rrggbb">: the heat-map colour. Set through the CSSOM (allowed by style-src 'self'), not a
  // style="" attribute (blocked); the value is written in the cell as well, so the colour only helps the eye.
  function paintHeat(root) {
    root.querySelectorAll("[data-heat]").forEach(function (cell) {
      var color = cell.getAttribute("data-heat");
      if (/^#[0-9a-fA-F]{6}$/.test(color)) {
        cell.style.backgroundColor = color;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { paintHeat(document); });
  document.addEventListener("htmx:load", function (event) { paintHeat(event.detail.elt); });
})();

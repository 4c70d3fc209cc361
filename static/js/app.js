// Behaviour every page shares, bound by data attributes instead of inline handlers (onchange=, onsubmit=), which
// the Content-Security-Policy (script-src 'self') would block. Delegated from the document, so content swapped
// in by htmx works without binding again.
(function () {
  // Tells the CSS that the menu button works, so narrow screens may fold the menu behind it (without JS the
  // menu stays open).
  document.documentElement.classList.add("js");

  // <button data-nav-toggle aria-controls="id">: shows or hides the menu it controls.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-nav-toggle]");
    if (!button) {
      return;
    }
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (menu) {
      menu.classList.toggle("open", open);
    }
  });

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
  // <div class="table-scroll" tabindex="0">: a table's scroll box is a Tab stop (so the keyboard can scroll it,
  // WCAG 2.1.1) only while its table is wider than the box; the markup starts focusable, so without JS it stays so.
  function markScrollBoxes() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  var resizing = false;
  window.addEventListener("resize", function () {
    if (!resizing) {
      resizing = true;
      window.requestAnimationFrame(function () { resizing = false; markScrollBoxes(); });
    }
  });
  document.addEventListener("DOMContentLoaded", function () { paintHeat(document); markScrollBoxes(); });
  document.addEventListener("htmx:afterSettle", markScrollBoxes);
  document.addEventListener("htmx:load", function (event) { paintHeat(event.detail.elt); });
})();

// Appraisal pages: the explanation length counter and "select all" of the bulk accept.
// Both only help: the server enforces the length cap and checks every item it is sent.
(function () {
  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.counter);
    if (!counter) return;
    var max = parseInt(counter.dataset.max, 10);
    counter.textContent = textarea.value.length + "/" + max;
    counter.classList.toggle("warn-text", textarea.value.length > max * 0.9);
  }
  function init(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(updateCounter);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-counter]")) updateCounter(event.target);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-select-all]");
    if (!button) return;
    var boxes = document.querySelectorAll('input[type=checkbox][form="' + button.dataset.selectAll + '"]');
    var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
    boxes.forEach(function (b) { b.checked = !all; });
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target.parentNode || document); });
})();

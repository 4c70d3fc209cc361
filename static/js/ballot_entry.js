// Ballot entry by keyboard only. Enter walks number → form → unit → answers and saves from the answers;
// the unit field suggests the units of the form's target group (accents optional); each key A–E answers the
// highlighted question and moves on, Backspace goes back. The server checks everything again.
(function () {
  var data = null;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().trim();
  }
  function el(id) { return document.getElementById(id); }
  function field(name) { var f = el("ballot-form"); return f ? f.elements[name] : null; }
  function currentForm() {
    var input = field("form_code");
    if (!input || !data) return null;
    var code = input.value.trim().toUpperCase();
    return data.forms.find(function (f) { return f.code.toUpperCase() === code; }) || null;
  }
  function unitMatches(typed) {
    var form = currentForm();
    var key = fold(typed);
    if (!form || !key) return [];
    return data.units.filter(function (u) {
      return u.group === form.group && (fold(u.name).indexOf(key) !== -1 || fold(u.code).indexOf(key) !== -1);
    }).slice(0, 8);
  }

  function renderForm() {
    var form = currentForm();
    var name = el("form-name");
    if (name) name.textContent = form ? form.name : "";
    renderQuestions();
  }
  function renderQuestions() {
    var list = el("question-list");
    var answers = field("answers");
    if (!list || !answers) return;
    var form = currentForm();
    list.innerHTML = "";
    if (!form) return;
    var typed = answers.value.toUpperCase();
    form.questions.forEach(function (q, i) {
      var li = document.createElement("li");
      li.dataset.number = q.number;
      if (i === typed.length) li.classList.add("current");
      if (i < typed.length) li.classList.add("answered");
      var letter = document.createElement("span");
      letter.className = "answer-letter";
      letter.textContent = typed[i] || "·";
      var text = document.createElement("span");
      text.textContent = q.number + ". " + q.text + " (" + q.options.join("/") + ")";
      li.appendChild(letter);
      li.appendChild(text);
      list.appendChild(li);
    });
    var done = el("answers-count");
    if (done) done.textContent = typed.length + "/" + form.questions.length;
    var current = list.querySelector("li.current");
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  }

  // The unit suggestions: a listbox under the field, never focused itself so that Tab stays natural.
  var highlighted = 0;
  function showMatches() {
    var input = field("unit");
    var box = el("unit-matches");
    if (!input || !box) return [];
    var matches = unitMatches(input.value);
    box.innerHTML = "";
    if (highlighted >= matches.length) highlighted = 0;
    matches.forEach(function (u, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.textContent = u.name;
      if (i === highlighted) { li.classList.add("highlighted"); li.setAttribute("aria-selected", "true"); }
      box.appendChild(li);
    });
    var open = matches.length > 0 && document.activeElement === input;
    box.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    return matches;
  }
  function pickUnit() {
    var input = field("unit");
    var matches = unitMatches(input.value);
    var chosen = matches[highlighted] || null;
    var exact = matches.find(function (u) { return fold(u.name) === fold(input.value) || fold(u.code) === fold(input.value); });
    if (exact) chosen = exact;
    if (chosen) { input.value = chosen.name; field("unit_id").value = chosen.id; }
    el("unit-matches").hidden = true;
    input.setAttribute("aria-expanded", "false");
    return chosen;
  }
  function nextEmpty(after) {
    var order = ["number", "form_code", "unit", "answers"];
    for (var i = order.indexOf(after) + 1; i < order.length; i++) {
      var f = field(order[i]);
      if (order[i] === "unit" ? !field("unit_id").value : !f.value.trim()) return f;
      if (order[i] === "answers") return f;
    }
    return field("answers");
  }
  function flash(input) {
    input.classList.remove("refused");
    void input.offsetWidth;
    input.classList.add("refused");
    setTimeout(function () { input.classList.remove("refused"); }, 450);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.form || target.form.id !== "ballot-form" || event.ctrlKey || event.altKey || event.metaKey) return;
    var name = target.name;
    if (name === "number" && event.key === "Enter") {
      event.preventDefault();
      if (target.value.trim()) nextEmpty("number").focus(); else flash(target);
    } else if (name === "form_code" && event.key === "Enter") {
      event.preventDefault();
      if (currentForm()) nextEmpty("form_code").focus(); else flash(target);
    } else if (name === "unit") {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var count = unitMatches(target.value).length;
        if (count) highlighted = (highlighted + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
        showMatches();
      } else if (event.key === "Enter" || event.key === "Tab") {
        var chosen = pickUnit();
        if (event.key === "Enter") {
          event.preventDefault();
          if (chosen) field("answers").focus(); else flash(target);
        }
      } else if (event.key === "Escape") {
        el("unit-matches").hidden = true;
      }
    } else if (name === "respondent" && event.key === "Enter") {
      event.preventDefault();
      field("answers").focus();
    } else if (name === "answers") {
      var form = currentForm();
      if (event.key === "Backspace") {
        event.preventDefault();
        target.value = target.value.slice(0, -1);
        renderQuestions();
      } else if (event.key.length === 1) {
        event.preventDefault();
        var letter = event.key.toUpperCase();
        var index = target.value.length;
        var question = form && form.questions[index];
        if (question && question.options.indexOf(letter) !== -1) {
          target.value += letter;
          renderQuestions();
        } else {
          flash(target);
        }
      }
    }
  });
  document.addEventListener("input", function (event) {
    var name = event.target.name;
    if (!event.target.form || event.target.form.id !== "ballot-form") return;
    if (name === "form_code") renderForm();
    if (name === "unit") { field("unit_id").value = ""; highlighted = 0; showMatches(); }
    if (name === "answers") renderQuestions();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.name === "unit" && event.target.form && event.target.form.id === "ballot-form") showMatches();
    if (event.target.name === "answers") renderQuestions();
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.name === "unit" && el("unit-matches")) el("unit-matches").hidden = true;
  });

  function init() {
    var script = el("entry-data");
    if (script && !data) data = JSON.parse(script.textContent);
    renderForm();
    var form = el("ballot-form");
    if (!form) return;
    var focus = field(form.dataset.focus || "number") || field("number");
    focus.focus();
    if (focus.select && focus.name !== "answers") focus.select();
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "entry-panel") init();
  });
})();

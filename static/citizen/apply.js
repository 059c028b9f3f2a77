// The application form: hide questions whose "show if" is not met.
// Without this script every question shows, with its condition written beside it; the server drops
// answers to questions that were not asked either way.
(function () {
  "use strict";
  var form = document.querySelector("[data-application-form]");
  if (!form) return;

  function answers(name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") ? input.checked : input.value) values.push(input.value);
    });
    return values;
  }

  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (field) {
      var shown = answers(field.getAttribute("data-show-if")).indexOf(field.getAttribute("data-show-if-value")) !== -1;
      field.hidden = !shown;
    });
  }

  form.addEventListener("change", update);
  update();
})();

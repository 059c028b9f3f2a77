// "Copy" buttons on the dataset page: copy the named field's text and say so in its status line.
// An enhancement: the address stays in a read-only field people can select and copy themselves.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]');
    if (!field || !status) return;
    function say(text) { status.textContent = text; }
    button.addEventListener("click", function () {
      var done = function () { say(button.dataset.copied); };
      var fallback = function () {
        field.focus();
        field.select();
        try { (document.execCommand("copy") ? done : fail)(); } catch (e) { fail(); }
      };
      var fail = function () { say(button.dataset.failed); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();

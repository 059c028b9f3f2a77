// After a refused form, the keyboard starts at the error summary (its lines lead to the fields), not at
// the top of the page behind the header and the menus; screen readers read it out as they land.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();

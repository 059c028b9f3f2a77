// Tracking page: tell screen-reader users when the live part of the page changed, and bring
// keyboard users to a form's errors. The fragments themselves reload through htmx (docs/live.md).
(function () {
  "use strict";
  var announcer = document.getElementById("track-announcer");
  var lastStatus = document.querySelector("#track-live [data-status-label]");
  lastStatus = lastStatus ? lastStatus.textContent : "";
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!announcer || event.detail.target.id !== "track-live") return;
    var summary = event.detail.target.querySelector("[data-live-summary]");
    var status = event.detail.target.querySelector("[data-status-label]");
    if (summary && status && status.textContent !== lastStatus) {
      lastStatus = status.textContent;
      announcer.textContent = summary.dataset.liveSummary;
    }
  });
  var errors = document.querySelector(".error-summary");
  if (errors) {
    errors.setAttribute("tabindex", "-1");
    errors.focus();
  }
})();

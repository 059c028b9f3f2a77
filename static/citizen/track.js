// Tracking page: tell screen-reader users when the live part of the page changed, and bring
// keyboard users to a form's errors or to the panel the address names. The fragments themselves
// reload through htmx (docs/live.md).
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
  // A form's errors come first; otherwise a panel the address points at (#feedback after
  // confirming or reopening) takes focus itself. The browser's own fragment handling only moves
  // the Tab starting point, a frame or more after the page shows, and screen readers say nothing.
  var target = document.querySelector(".error-summary");
  if (!target && location.hash) {
    target = document.getElementById(location.hash.slice(1));
    if (target && !target.classList.contains("track-panel")) target = null;
  }
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
})();

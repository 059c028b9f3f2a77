// Live updates (docs/live.md): listen to the page's streams and tell the page when something changed.
// Each change dispatches `cityhall:changed` on document.body; htmx fragments reload on it
// (hx-trigger="cityhall:changed from:body"). Without EventSource, or when the stream keeps failing
// or says "poll" (204), the same changes are fetched by polling every 1.5 s. A page may follow two
// streams (the SLA board: requests and applications, whose events are numbered apart), each with
// its own anchor and its own record of what it has seen.
(function () {
  "use strict";
  document.querySelectorAll("[data-live-stream]").forEach(function (anchor) {
    if (!anchor.dataset.liveStarted) {
      anchor.dataset.liveStarted = "1";
      follow(anchor);
    }
  });

  function follow(anchor) {
    var seen = new Set();
    var pollUrl = anchor.dataset.livePoll;
    var polling = false;

    function changed(topic, event) {
      if (seen.has(event)) return;
      seen.add(event);
      document.body.dispatchEvent(new CustomEvent("cityhall:changed", { detail: { topic: topic, event: event } }));
    }

    function poll() {
      if (polling) return;
      polling = true;
      var after = new URL(pollUrl, location.href).searchParams.get("after") || "0";
      function tick() {
        var url = new URL(pollUrl, location.href);
        url.searchParams.set("after", after);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (body) {
            if (!body) return;
            body.changes.forEach(function (change) { changed(change.topic, change.event); });
            after = String(body.after);
          })
          .catch(function () { /* offline: try again at the next tick */ })
          .then(function () { setTimeout(tick, 1500); });
      }
      tick();
    }

    if (!("EventSource" in window)) { poll(); return; }
    var failures = 0;
    var source = new EventSource(anchor.dataset.liveStream);
    source.addEventListener("changed", function (message) {
      failures = 0;
      var data = JSON.parse(message.data);
      changed(data.topic, data.event);
    });
    source.addEventListener("open", function () { failures = 0; });
    source.addEventListener("error", function () {
      // CLOSED: the server said no (204 or an error status); CONNECTING: it is retrying by itself.
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures > 3) {
        source.close();
        poll();
      }
    });
  }
})();

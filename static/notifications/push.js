/* Web push on the preferences page: turn notifications on or off for this browser.
   Permission is asked only when the person presses the button (browsers block or bury unprompted
   asks). The subscription comes from the service worker's registration (navigator.serviceWorker.ready)
   and is posted with the page's CSRF token. The resident app's worker (/sw.js) loads push-sw.js. */
(function () {
  "use strict";
  var box = document.querySelector("[data-push]");
  if (!box) return;
  var onButton = box.querySelector("[data-push-on]");
  var offButton = box.querySelector("[data-push-off]");
  var status = box.querySelector("[data-push-status]");

  function say(key) { status.textContent = box.getAttribute("data-" + key) || ""; }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function keyBytes(base64url) {
    var padded = base64url + "===".slice((base64url.length + 3) % 4);
    var raw = atob(padded.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
  }

  function ready() {
    // The resident app registers its worker on its own pages; here, register it if nobody has yet.
    return navigator.serviceWorker.getRegistration("/").then(function (found) {
      return found || navigator.serviceWorker.register(box.getAttribute("data-worker-url"), { scope: "/" });
    }).then(function () { return navigator.serviceWorker.ready; });
  }

  function reveal(element, visible) {
    // The site's button style sets `display`, which would beat the bare `hidden` attribute.
    element.hidden = !visible;
    element.style.display = visible ? "" : "none";
  }

  function show(subscribed) {
    reveal(onButton, !subscribed);
    reveal(offButton, subscribed);
  }

  onButton.addEventListener("click", function () {
    onButton.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return ready().then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(box.getAttribute("data-vapid-key"))
        });
      }).then(function (subscription) {
        return post(box.getAttribute("data-subscribe-url"), subscription.toJSON());
      }).then(function () { show(true); say("on"); });
    }).catch(function () { say("failed"); }).then(function () { onButton.disabled = false; });
  });

  offButton.addEventListener("click", function () {
    ready().then(function (registration) { return registration.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) return null;
        return post(box.getAttribute("data-unsubscribe-url"), { endpoint: subscription.endpoint })
          .then(function () { return subscription.unsubscribe(); });
      })
      .then(function () { show(false); say("off"); })
      .catch(function () { say("failed"); });
  });

  // Show the button that fits; never ask for permission here.
  if (Notification.permission === "denied") say("denied");
  navigator.serviceWorker.getRegistration("/").then(function (registration) {
    return registration ? registration.pushManager.getSubscription() : null;
  }).then(function (subscription) { show(Boolean(subscription)); }, function () { show(false); });
})();

/* CityHall web push, for the resident app's service worker:
     importScripts('/static/notifications/push-sw.js');
   Shows each pushed message ({title, body, url, tag}, encrypted by the server for this browser)
   and opens its page when the notification is clicked. */
(function () {
  "use strict";

  function sameOriginUrl(url) {
    try {
      var parsed = new URL(url || "/", self.location.origin);
      return parsed.origin === self.location.origin ? parsed.href : self.location.origin + "/";
    } catch (error) {
      return self.location.origin + "/";
    }
  }

  self.addEventListener("push", function (event) {
    var data = {};
    if (event.data) {
      try { data = event.data.json(); } catch (error) { data = { body: event.data.text() }; }
    }
    var options = { body: data.body || "", data: { url: sameOriginUrl(data.url) } };
    if (data.tag) { options.tag = data.tag; options.renotify = true; }
    event.waitUntil(self.registration.showNotification(data.title || "CityHall", options));
  });

  self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var url = (event.notification.data && event.notification.data.url) || sameOriginUrl("/");
    event.waitUntil(
      self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
        for (var i = 0; i < windows.length; i++) {
          if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
        }
        return self.clients.openWindow ? self.clients.openWindow(url) : null;
      })
    );
  });
})();

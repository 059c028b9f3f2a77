// Offline support on every page: registers the service worker (/sw.js), keeps reports made without a
// signal in IndexedDB (photos included) and sends them when the connection is back, showing the
// "waiting to send" state in the banner. report.js calls window.CityHallQueue.add() when offline.
(function () {
  "use strict";
  var DB = "cityhall", STORE = "reports";
  var sending = false;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DB, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true }); };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var asked = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(asked ? asked.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function banner() { return document.querySelector("[data-offline-banner]"); }

  function show(text, link) {
    var element = banner();
    if (!element) return;
    element.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      element.append(" ", anchor);
    }
    element.hidden = false;
  }

  function refresh() {
    var element = banner();
    if (!element || !window.indexedDB) return Promise.resolve();
    return withStore("readonly", function (store) { return store.count(); }).then(function (waiting) {
      if (waiting) show(element.dataset.waiting.replace("__N__", waiting));
      else if (!navigator.onLine) show(element.dataset.offline);
      else if (!element.querySelector("a")) element.hidden = true;
    });
  }

  function send(item) {
    var body = new FormData();
    item.entries.forEach(function (entry) { body.append(entry[0], entry[1]); });
    return fetch(item.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
      var sent = response.redirected && /\/report\/sent\//.test(new URL(response.url).pathname);
      if (sent) {
        var number = new URL(response.url).pathname.split("/").pop();
        show(banner().dataset.sent + " ", { href: response.url, text: number });
        var sentNotice = document.querySelector("[data-sent-notice]");
        if (sentNotice) {  // the report page that queued it: say so in place of "waiting to send"
          document.querySelector("[data-queued-notice]").hidden = true;
          sentNotice.querySelector("[data-sent-link]").href = response.url;
          sentNotice.hidden = false;
        }
        return withStore("readwrite", function (store) { return store.delete(item.id); });
      }
      if (response.status >= 400 && response.status < 500) {  // refused as it is: trying again cannot help
        show(banner().dataset.failed);
        return withStore("readwrite", function (store) { return store.delete(item.id); });
      }
      throw new Error("server busy; keep it for later");
    });
  }

  function flush() {
    if (sending || !navigator.onLine || !window.indexedDB) return Promise.resolve();
    sending = true;
    return withStore("readonly", function (store) { return store.getAll(); })
      .then(function (items) {
        return items.reduce(function (chain, item) { return chain.then(function () { return send(item); }); }, Promise.resolve());
      })
      .catch(function () { /* still no connection, or the server is busy: the next "online" tries again */ })
      .then(function () { sending = false; return refresh(); });
  }

  window.CityHallQueue = {
    // entries: [[name, string or File], …] as the form would have sent them.
    add: function (action, entries) {
      return withStore("readwrite", function (store) {
        return store.add({ action: action, entries: entries, created: Date.now() });
      }).then(refresh);
    },
    flush: flush,
  };

  window.addEventListener("online", flush);
  window.addEventListener("offline", refresh);
  document.addEventListener("DOMContentLoaded", function () { refresh().then(flush); });
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); });
  }
})();

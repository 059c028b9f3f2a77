// CityHall's service worker (served from /sw.js, scope /): keeps the app shell so the app opens with no
// signal. Pages: network first, the kept copy when offline, else the offline page. Static files: kept copy
// first. Reports made offline are queued by offline.js in IndexedDB, not here.
"use strict";
const VERSION = "{{ version }}";
const SHELL = {{ shell_json|safe }};
const PUSH_WORKER = {{ push_worker|safe }};
const SHELL_CACHE = "cityhall-shell-" + VERSION;
const PAGE_CACHE = "cityhall-pages";
const OFFLINE_PAGE = "{% url 'citizen:offline' %}";

if (PUSH_WORKER) importScripts(PUSH_WORKER);

// The shell is fetched without the person's cookies: it is the public app, the same for everyone, and
// a background fetch with their session would race their own pages for it (a page it renders takes
// the person's one-time messages, and a sign-in that changes the session made it fail).
const SHELL_REQUESTS = SHELL.map((url) => new Request(url, { credentials: "omit" }));

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL_REQUESTS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("cityhall-shell-") && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function keepPage(request, response) {
  // Only whole, public-safe pages of our own origin; never an account's private pages or the admin.
  const url = new URL(request.url);
  const skip = /^\/(admin|accounts|staff|profile|live|open311|i18n|media|my-requests)(\/|$)/.test(url.pathname);
  if (response.ok && response.type === "basic" && !skip) {
    const copy = response.clone();
    caches.open(PAGE_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => keepPage(request, response))
        .catch(() => caches.match(request, { ignoreSearch: false })
          .then((kept) => kept || caches.match(OFFLINE_PAGE)))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // The kept copy at once, refreshed behind it (hashed names in production make most refreshes no-ops).
    const fresh = fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    });
    event.respondWith(caches.match(request).then((kept) => kept || fresh));
    event.waitUntil(fresh.then(() => undefined, () => undefined));
  }
});

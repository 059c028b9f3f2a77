// The report flow, made quicker where JavaScript runs (every step also works without it):
// search-as-you-type over categories; "use my location"; the optional map (Leaflet, loaded only when
// opened); the place check (city boundary and "Is it one of these?") as soon as a point is chosen;
// photos made smaller on the phone before upload; offline reports handed to the queue in offline.js.
(function () {
  "use strict";

  // --- Step 1: find a category as you type -------------------------------------------------------
  // Lower case without accents, as the server folds the data-search words: "BACHÉ" finds "bache".
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function categorySearch(form) {
    var input = form.querySelector("input[type=search]");
    var results = document.querySelector("[data-category-results]");
    var list = results.querySelector("[data-results-list]");
    var heading = results.querySelector("[data-results-heading]");
    var status = results.querySelector("[data-results-status]");
    var none = results.querySelector("[data-no-match-js]");
    var links = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
    var timer = null;
    function update() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var serverNone = results.querySelector("[data-no-match]");
      if (serverNone) serverNone.remove();
      if (!words.length) { results.hidden = true; list.textContent = ""; return; }
      var found = links.filter(function (link) {
        var text = link.dataset.search;
        return words.every(function (word) { return text.indexOf(word) !== -1; });
      });
      list.textContent = "";
      found.slice(0, 30).forEach(function (link) {
        var item = document.createElement("li");
        item.className = "request-item";
        var copy = document.createElement("a");
        copy.href = link.href;
        copy.textContent = link.textContent;
        item.appendChild(copy);
        list.appendChild(item);
      });
      var text = found.length === 1 ? results.dataset.one : results.dataset.many.replace("__N__", found.length);
      heading.textContent = text;
      none.hidden = found.length > 0;
      results.hidden = false;
      clearTimeout(timer);  // announce once typing pauses, not on every key
      timer = setTimeout(function () { status.textContent = text; }, 600);
    }
    input.addEventListener("input", update);
  }

  // --- Step 2: where, photos, sending ------------------------------------------------------------
  function reportForm(form) {
    var data = form.dataset;
    var lat = form.querySelector("[name=lat]");
    var lng = form.querySelector("[name=lng]");
    var status = form.querySelector("[data-location-status]");
    var placeBox = form.querySelector("[data-place-check]");
    var mapWrap = form.querySelector("[data-map-wrap]");
    var map = null, marker = null, quiet = false, shrinking = Promise.resolve(), checkAbort = null;

    form.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
    form.querySelectorAll("[data-nojs-only]").forEach(function (el) { el.hidden = true; });

    function checkPlace() {
      if (!lat.value || !lng.value) return;
      if (checkAbort) checkAbort.abort();
      checkAbort = window.AbortController ? new AbortController() : null;
      var url = new URL(data.placeUrl, location.href);
      url.search = new URLSearchParams({ service: data.service, lat: lat.value, lng: lng.value });
      fetch(url, { credentials: "same-origin", signal: checkAbort && checkAbort.signal })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { placeBox.innerHTML = html; })
        .catch(function () { /* offline: the server checks again when the report arrives */ });
    }

    function setPoint(newLat, newLng, message) {
      lat.value = newLat.toFixed(6);
      lng.value = newLng.toFixed(6);
      status.textContent = message || status.dataset.pinned;
      if (map && message) { quiet = true; map.setView([newLat, newLng], Math.max(map.getZoom(), 17)); }
      checkPlace();
    }

    var locate = form.querySelector("[data-use-location]");
    if (!("geolocation" in navigator)) locate.hidden = true;
    locate.addEventListener("click", function () {
      status.textContent = status.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        var metres = Math.round(position.coords.accuracy || 0);
        setPoint(position.coords.latitude, position.coords.longitude, status.dataset.found.replace("__M__", metres));
      }, function () {
        status.textContent = status.dataset.denied;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });

    function loadLeaflet() {
      if (window.L) return Promise.resolve();
      return new Promise(function (resolve, reject) {
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = data.leafletCss;
        var js = document.createElement("script");
        js.src = data.leafletJs;
        var waiting = 2;
        function one() { if (--waiting === 0) resolve(); }
        css.onerror = reject; js.onerror = reject;
        css.onload = one;
        // The pin's own files are set by map-pin.js, which needs Leaflet loaded first.
        js.onload = function () {
          var pin = document.createElement("script");
          pin.src = data.mapPinJs;
          pin.onload = one; pin.onerror = reject;
          document.head.appendChild(pin);
        };
        document.head.appendChild(css);
        document.head.appendChild(js);
      });
    }

    var opener = form.querySelector("[data-open-map]");
    opener.addEventListener("click", function () {
      var open = opener.getAttribute("aria-expanded") === "true";
      opener.setAttribute("aria-expanded", String(!open));
      mapWrap.hidden = open;
      if (open || map) { if (map) map.invalidateSize(); return; }
      loadLeaflet().then(function () {
        var centre = data.centre.split(",").map(Number);
        var start = lat.value ? [Number(lat.value), Number(lng.value)] : centre;
        var element = form.querySelector("[data-map]");
        map = window.L.map(element, { keyboard: true }).setView(start, lat.value ? 17 : 14);
        window.L.tileLayer(data.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
        marker = window.L.marker(start, { keyboard: false, interactive: false }).addTo(map);
        // The pin stays in the middle: moving the map (finger, mouse or arrow keys) moves the place.
        map.on("move", function () { marker.setLatLng(map.getCenter()); });
        map.on("moveend", function () {
          if (quiet) { quiet = false; return; }
          var centre = map.getCenter();
          setPoint(centre.lat, centre.lng);
        });
        map.on("click", function (event) { map.panTo(event.latlng); });
      }).catch(function () {
        mapWrap.hidden = true;
        opener.hidden = true;
        status.textContent = status.dataset.denied;
      });
    });

    var saved = form.querySelectorAll("[name=saved_place]");
    var points = data.savedPlaces ? JSON.parse(data.savedPlaces) : {};
    saved.forEach(function (radio) {
      radio.addEventListener("change", function () {
        var point = points[radio.value];
        if (point) setPoint(point[0], point[1], status.dataset.pinned);
      });
    });

    // Photos: re-drawn smaller on the phone (long edge 2048 px, JPEG) so they upload quickly on a weak
    // signal. What the browser cannot decode (HEIC on most browsers) goes as it is; the server converts it.
    var photoStatus = form.querySelector("[data-photo-status]");
    function shrink(file) {
      if (!window.createImageBitmap || !/^image\//.test(file.type) || file.size < 400000) return Promise.resolve(file);
      return createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
      }).then(function (blob) {
        if (!blob || blob.size >= file.size) return file;
        return new File([blob], file.name.replace(/\.[^.]+$/, "") + ".jpg", { type: "image/jpeg" });
      }).catch(function () { return file; });
    }
    form.querySelectorAll("[data-photo-input]").forEach(function (input) {
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files);
        shrinking = Promise.all(files.map(shrink)).then(function (smaller) {
          if (window.DataTransfer) {
            var transfer = new DataTransfer();
            smaller.forEach(function (file) { transfer.items.add(file); });
            input.files = transfer.files;
          }
          photoStatus.textContent = photoStatus.dataset.shrunk.replace("__N__", smaller.length);
        });
      });
    });

    var resubmitting = false;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("formaction")) return;  // "add my support" goes as it is
      if (resubmitting) return;
      event.preventDefault();
      // Continue after this submit event is over: a form ignores requestSubmit() while it is firing one.
      shrinking.then(function () { setTimeout(function () { send(submitter); }, 0); });
    });

    function send(submitter) {
      if (!navigator.onLine && window.CityHallQueue) {
        var entries = [];
        new FormData(form).forEach(function (value, name) {
          if (typeof value !== "string" && !value.size) return;  // an empty file input
          entries.push([name, value]);
        });
        return window.CityHallQueue.add(form.getAttribute("action") || location.pathname, entries).then(function () {
          var notice = document.querySelector("[data-queued-notice]");
          form.hidden = true;
          notice.hidden = false;
          notice.focus();
        });
      }
      resubmitting = true;
      if (form.requestSubmit) form.requestSubmit(submitter);
      else form.submit();
      resubmitting = false;
    }

    if (lat.value && lng.value && !placeBox.textContent.trim()) checkPlace();
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  var search = document.querySelector("[data-category-search]");
  if (search) categorySearch(search);
  var report = document.querySelector("[data-report-form]");
  if (report) reportForm(report);
})();

// The report flow, made quicker where JavaScript runs (every step also works without it):
// search-as-you-type over categories; "use my location"; the optional map (Leaflet, loaded only when
// opened); the place check (city boundary and "Is it one of these?") as soon as a point is chosen;
// photos made smaller on the phone before upload, shown as thumbnails that can be removed; offline
// reports handed to the queue in offline.js.
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
    // Words typed while the page was still loading (this script is deferred) are searched at once,
    // rather than waiting for the next key.
    if (input.value && !results.querySelector("[data-no-match]") && !list.children.length) update();
  }

  // --- The address field: suggestions as you type, an ARIA 1.2 combobox --------------------------
  // Without JavaScript the field is a plain text box and the server finds the address when the form is
  // checked or sent. Here: type 3+ letters → a listbox of suggestions; Down/Up move through them
  // (aria-activedescendant, focus stays in the field), Enter chooses, Escape closes; the number of
  // suggestions is announced in a polite live region once typing pauses.
  function addressSearch(box, choose) {
    var input = box.querySelector("input[name=address]");
    var list = box.querySelector("[role=listbox]");
    var announce = box.querySelector("[data-address-announce]");
    var options = [], active = -1, typing = null, speaking = null, pending = null;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    function expand(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (!open) highlight(-1);
    }
    function highlight(index) {
      active = index;
      options.forEach(function (option, i) { option.el.setAttribute("aria-selected", String(i === index)); });
      if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
      input.setAttribute("aria-activedescendant", options[index].el.id);
      options[index].el.scrollIntoView({ block: "nearest" });
    }
    function pick(index) {
      var result = options[index].result;
      input.value = result.label;
      expand(false);
      choose(result);
    }
    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.label;
        if (result.detail) {
          var detail = document.createElement("small");
          detail.textContent = result.detail;
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });  // focus stays in the field
        item.addEventListener("click", function () { pick(i); });
        list.appendChild(item);
        return { el: item, result: result };
      });
      expand(options.length > 0);
      var count = options.length;
      var text = !count ? box.dataset.none : count === 1 ? box.dataset.one : box.dataset.many.replace("__N__", count);
      clearTimeout(speaking);
      speaking = setTimeout(function () { announce.textContent = text; }, 500);
    }
    function ask() {
      var words = input.value.trim();
      if (pending) pending.abort();
      if (words.length < 3) { options = []; list.textContent = ""; expand(false); return; }
      pending = window.AbortController ? new AbortController() : null;
      var url = new URL(box.dataset.url, location.href);
      url.search = new URLSearchParams({ q: words });
      fetch(url, { credentials: "same-origin", signal: pending && pending.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { if (input.value.trim() === words) show(answer.results); })
        .catch(function () { /* offline or superseded: the server finds the address when the report arrives */ });
    }
    input.addEventListener("input", function () {
      choose(null);
      clearTimeout(typing);
      typing = setTimeout(ask, 150);  // one request per pause in typing, not per key
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { if (options.length) expand(true); else ask(); return; }
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // choose the suggestion; a second Enter sends the form
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        expand(false);
      }
    });
    input.addEventListener("blur", function () { expand(false); });
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
    var fromAddress = false, said = "";

    form.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
    form.querySelectorAll("[data-nojs-only]").forEach(function (el) { el.hidden = true; });

    // The email is asked once: what is typed on a duplicate card fills "About you", unless changed there.
    var emailField = form.querySelector("#id_email"), mirrored = "";
    form.addEventListener("input", function (event) {
      if (!emailField || !event.target.matches("[data-support-email]")) return;
      if (!emailField.value || emailField.value === mirrored) emailField.value = mirrored = event.target.value;
    });

    function checkPlace() {
      if (!lat.value || !lng.value) return;
      if (checkAbort) checkAbort.abort();
      checkAbort = window.AbortController ? new AbortController() : null;
      var url = new URL(data.placeUrl, location.href);
      var query = { service: data.service, lat: lat.value, lng: lng.value };
      if (fromAddress) query.placed = fromAddress;
      url.search = new URLSearchParams(query);
      fetch(url, { credentials: "same-origin", signal: checkAbort && checkAbort.signal })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          placeBox.innerHTML = html;
          // A point from the GPS or the map: say which address it is near (“Near 1685 Main St”).
          var found = placeBox.querySelector("[data-place-found]");
          if (found && !fromAddress) status.textContent = said + " " + found.textContent;
          var cardEmail = placeBox.querySelector("[data-support-email]");
          if (cardEmail && emailField && emailField.value) cardEmail.value = mirrored = emailField.value;
        })
        .catch(function () { /* offline: the server checks again when the report arrives */ });
    }

    function setPoint(newLat, newLng, message, placed) {
      fromAddress = placed || false;
      lat.value = newLat.toFixed(6);
      lng.value = newLng.toFixed(6);
      said = status.textContent = message || status.dataset.pinned;
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
        // map-defaults.js (the pin's files, the attribution without "Leaflet") needs Leaflet loaded first.
        js.onload = function () {
          var pin = document.createElement("script");
          pin.src = data.mapDefaultsJs;
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

    var addressBox = form.querySelector("[data-address-search]");
    if (addressBox) addressSearch(addressBox, function (result) {
      if (result) {
        setPoint(result.lat, result.lng, addressBox.dataset.chosen.replace("__PLACE__", result.label), result.label);
      } else if (fromAddress) {  // the chosen address is being changed: its point no longer holds
        fromAddress = false;
        lat.value = lng.value = "";
        status.textContent = placeBox.textContent = "";
      }
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
    // The photo picker: photos from "Choose photos" and "Take a photo" gather in one list, each shown
    // as a thumbnail with a "Remove photo N" button; the list is what is sent (in the first input).
    // Without DataTransfer (old browsers) the two plain inputs work as they are.
    var photoField = form.querySelector("[data-photo-field]");
    var photoInputs = Array.prototype.slice.call(form.querySelectorAll("[data-photo-input]"));
    var thumbs = form.querySelector("[data-photo-list]");
    var chosen = [];  // {file, url}

    function say(text) { photoStatus.textContent = text; }
    function countText() {
      if (!chosen.length) return photoStatus.dataset.none;
      return chosen.length === 1 ? photoStatus.dataset.one : photoStatus.dataset.many.replace("__N__", chosen.length);
    }

    function syncPhotos() {
      var transfer = new DataTransfer();
      chosen.forEach(function (photo) { transfer.items.add(photo.file); });
      photoInputs[0].files = transfer.files;
      photoInputs.slice(1).forEach(function (input) { input.value = ""; });
      thumbs.textContent = "";
      chosen.forEach(function (photo, index) {
        var number = String(index + 1);
        var item = document.createElement("li");
        item.className = "photo-thumb";
        var image = document.createElement("img");
        image.src = photo.url;
        image.alt = thumbs.dataset.photoAlt.replace("__N__", number);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button button--secondary photo-thumb__remove";
        remove.textContent = thumbs.dataset.removeLabel.replace("__N__", number);
        remove.addEventListener("click", function () { removePhoto(index); });
        item.append(image, remove);
        thumbs.append(item);
      });
      thumbs.hidden = !chosen.length;
    }

    function removePhoto(index) {
      URL.revokeObjectURL(chosen[index].url);
      chosen.splice(index, 1);
      syncPhotos();
      say(photoStatus.dataset.removed.replace("__N__", index + 1) + " " + countText());
      var next = thumbs.querySelectorAll(".photo-thumb__remove")[Math.min(index, chosen.length - 1)];
      (next || photoInputs[0]).focus();  // the focus stays in the picker, never lost to the page's top
    }

    var picker = Boolean(window.DataTransfer && window.URL && URL.createObjectURL && thumbs);
    if (picker) photoField.classList.add("photo-field--js");
    // "Take a photo" opens the camera on phones; on a desktop it would only repeat "Choose photos".
    var camera = form.querySelector("[data-photo-camera]");
    if (camera && window.matchMedia && !window.matchMedia("(pointer: coarse)").matches) {
      camera.hidden = true;
      camera.querySelector("input").disabled = true;
    }

    photoInputs.forEach(function (input) {
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files);
        if (picker && !files.length) { syncPhotos(); return; }  // a cancelled dialog empties the input: refill it
        shrinking = Promise.all(files.map(shrink)).then(function (smaller) {
          if (!picker) {
            if (window.DataTransfer) {
              var transfer = new DataTransfer();
              smaller.forEach(function (file) { transfer.items.add(file); });
              input.files = transfer.files;
            }
            say(smaller.length === 1 ? photoStatus.dataset.one : photoStatus.dataset.many.replace("__N__", smaller.length));
            return;
          }
          smaller.forEach(function (file) { chosen.push({ file: file, url: URL.createObjectURL(file) }); });
          syncPhotos();
          say(countText());
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

  var search = document.querySelector("[data-category-search]");
  if (search) categorySearch(search);
  var report = document.querySelector("[data-report-form]");
  if (report) reportForm(report);
})();

// Maps are optional: pages list the same requests as text. Points come from a JSON script element.
// The place picker of "log a call" sets the hidden lat/lng fields; the address field works without it.
(function () {
  "use strict";
  function draw(holder) {
    if (!window.L || holder.dataset.drawn) return;
    var data = document.getElementById(holder.dataset.points);
    var points = data ? JSON.parse(data.textContent) : [];
    holder.dataset.drawn = "1";
    var map = L.map(holder, { scrollWheelZoom: false });
    if (holder.dataset.tiles) {
      L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], { radius: 8, weight: 2, className: "marker-" + p.status });
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      marker.bindPopup(link).addTo(map);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 16);
    // Room at the top left for the zoom buttons, so no marker is drawn under them.
    else if (bounds.length) map.fitBounds(bounds, { paddingTopLeft: [56, 20], paddingBottomRight: [20, 20] });
    else map.setView([34.0195, -118.4912], 13);
  }
  // Logging a call: the pin stays in the middle and moving the map (pointer or arrow keys) moves the
  // place, as on the resident's report form. Without Leaflet the picker stays hidden: address it is.
  function picker(box) {
    if (!window.L) return;
    var form = box.closest("form");
    var lat = form.querySelector("[name=lat]"), lng = form.querySelector("[name=lng]");
    var status = box.querySelector("[data-picker-status]");
    var holder = box.querySelector("[data-picker-map]");
    box.hidden = false;
    var pinned = lat.value && lng.value;
    var start = pinned ? [Number(lat.value), Number(lng.value)] : holder.dataset.centre.split(",").map(Number);
    var map = L.map(holder, { keyboard: true, scrollWheelZoom: false }).setView(start, pinned ? 17 : 14);
    if (holder.dataset.tiles) {
      L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
    }
    var pin = L.marker(start, { keyboard: false, interactive: false }).addTo(map);
    map.on("move", function () { pin.setLatLng(map.getCenter()); });
    map.on("moveend", function () {
      var centre = map.getCenter();
      lat.value = centre.lat.toFixed(6);
      lng.value = centre.lng.toFixed(6);
      status.textContent = status.dataset.pinned.replace("__LAT__", lat.value).replace("__LNG__", lng.value);
    });
    map.on("click", function (event) { map.panTo(event.latlng); });
    box.querySelector("[data-picker-clear]").addEventListener("click", function () {
      lat.value = lng.value = "";
      status.textContent = "";
    });
  }
  function drawAll() {
    document.querySelectorAll("[data-map]").forEach(draw);
    document.querySelectorAll("[data-place-picker]").forEach(picker);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();

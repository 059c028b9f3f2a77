// Maps are optional: pages list the same requests as text. Points come from a JSON script element.
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
    else if (bounds.length) map.fitBounds(bounds, { padding: [20, 20] });
    else map.setView([34.0195, -118.4912], 13);
  }
  function drawAll() { document.querySelectorAll("[data-map]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();

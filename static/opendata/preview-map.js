// A small map of a dataset's places or boundaries on its catalog page, drawn like the site's other
// maps (Leaflet, the site's tiles, citizen/place-map.js's markers). An enhancement only: the table
// below holds the same data.
(function () {
  "use strict";
  var holder = document.getElementById("od-map");
  var data = document.getElementById("od-map-data");
  if (!holder || !data) return;
  if (!window.L) { holder.hidden = true; return; }
  var found = JSON.parse(data.textContent);
  var map = window.L.map(holder, { scrollWheelZoom: false, keyboard: true });
  window.L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: holder.dataset.attribution }).addTo(map);
  var layer = window.L.featureGroup().addTo(map);
  found.points.forEach(function (point) {
    window.L.circleMarker(point, { radius: 5, color: "#1b1b1b", weight: 1, fillColor: "#d83933", fillOpacity: 0.8 }).addTo(layer);
  });
  if (found.shapes.length) {
    window.L.geoJSON(found.shapes, { style: { color: "#005ea2", weight: 2, fillOpacity: 0.1 } }).addTo(layer);
  }
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16 }); } else { holder.hidden = true; }
})();

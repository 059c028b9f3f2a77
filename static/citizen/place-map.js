// A small, still map of one request's place (tracking and confirmation pages). An enhancement only:
// the address and neighborhood are written above it, so without JavaScript or tiles nothing is lost.
(function () {
  "use strict";
  document.querySelectorAll("[data-place-map]").forEach(function (holder) {
    if (!window.L) { holder.hidden = true; return; }
    var point = [Number(holder.dataset.lat), Number(holder.dataset.lng)];
    var map = window.L.map(holder, {
      zoomControl: false, dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
      boxZoom: false, keyboard: false, touchZoom: false, attributionControl: true,
    }).setView(point, 17);
    window.L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    window.L.circleMarker(point, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: "#d83933", fillOpacity: 0.9 }).addTo(map);
  });
})();

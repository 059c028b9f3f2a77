// What every map of the site shares, set once here after leaflet.js has loaded and before any map is drawn.
// Load it right after leaflet.js (templates/maps/leaflet.html does both).
(function () {
  if (!window.L) return;

  // No "Leaflet" link before the map data's attribution: it was one more Tab stop on every map, and a link
  // away from the city. The tiles' own attribution (OpenStreetMap, a licence requirement) stays, as each
  // map's tile layer gives it.
  window.L.Control.Attribution.mergeOptions({ prefix: false });

  // Leaflet finds its default pin through a path read from its own stylesheet, which stops working once
  // the static files carry hashed names: the pin then asks for /report/marker-icon.png, a 404. The page
  // names the pin's files by their real (hashed) addresses in <meta name="map-pin">, and every marker
  // drawn after this script uses them.
  var meta = document.querySelector('meta[name="map-pin"]');
  if (!meta) return;
  window.L.Marker.prototype.options.icon = window.L.icon({
    iconUrl: meta.content,
    iconRetinaUrl: meta.dataset.retina,
    shadowUrl: meta.dataset.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    tooltipAnchor: [16, -28],
    shadowSize: [41, 41],
  });
})();

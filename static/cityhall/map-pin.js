// Leaflet finds its default pin through a path read from its own stylesheet, which stops working once
// the static files carry hashed names: the pin then asks for /report/marker-icon.png, a 404. The page
// names the pin's files by their real (hashed) addresses in <meta name="map-pin">, and every marker
// drawn after this script uses them. Load it after leaflet.js.
(function () {
  var meta = document.querySelector('meta[name="map-pin"]');
  if (!window.L || !meta) return;
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

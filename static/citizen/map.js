// The public list's map: markers for the requests the filters select, from a small JSON endpoint.
// An enhancement only: without JavaScript (or without Leaflet) the list above works by itself.
(function () {
  "use strict";
  // Room at the top left for Leaflet's zoom buttons, so no marker is drawn under them.
  var CLEAR_OF_ZOOM = [56, 20];
  var holder = document.getElementById("requests-map");
  if (!holder || !window.L || !window.fetch) return;
  fetch(holder.dataset.markers, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { markers: [] }; })
    .then(function (body) {
      if (!body.markers.length) return;
      holder.hidden = false;
      var map = L.map(holder, { scrollWheelZoom: false });
      L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: holder.dataset.attribution }).addTo(map);
      var points = body.markers.map(function (marker) {
        var link = document.createElement("a");
        link.href = marker.url;
        link.textContent = marker.category + " #" + marker.id;
        var status = document.createElement("p");
        status.textContent = marker.status + " · " + marker.requested;
        var popup = document.createElement("div");
        popup.append(link, status);
        L.circleMarker([marker.lat, marker.lng], {
          radius: 8, color: "#1b1b1b", weight: 1, fillColor: marker.colour, fillOpacity: marker.open ? 0.9 : 0.5,
        }).bindPopup(popup).addTo(map);
        return [marker.lat, marker.lng];
      });
      map.fitBounds(points, { paddingTopLeft: CLEAR_OF_ZOOM, paddingBottomRight: [20, 20], maxZoom: 16 });
    })
    .catch(function () { holder.hidden = true; });
})();

// The public list's map: markers for the requests the filters select, from a small JSON endpoint.
// An enhancement only: without JavaScript (or without Leaflet) the list below works by itself.
//
// Markers close together on screen are drawn as one numbered cluster (a grid of CELL-pixel squares,
// redrawn at each zoom): selecting it zooms in, or lists the requests when they share one spot.
// Every pin and cluster is a Leaflet marker, so it takes the keyboard focus and Enter opens it;
// an opened popup receives the focus so its link can be followed.
(function () {
  "use strict";
  // Room at the top left for Leaflet's zoom buttons, so no marker is drawn under them.
  var CLEAR_OF_ZOOM = [56, 20];
  var CELL = 56; // px: markers nearer than this share a cluster
  var MAX_FIT_ZOOM = 16;
  var area = document.getElementById("requests-map-area");
  var holder = document.getElementById("requests-map");
  if (!area || !holder || !window.L || !window.fetch) return;

  function popupFor(markers) {
    var box = document.createElement("div");
    if (markers.length > 1) {
      var heading = document.createElement("p");
      heading.className = "map-popup__heading";
      heading.textContent = holder.dataset.here;
      box.append(heading);
    }
    var list = document.createElement("ul");
    list.className = "map-popup__list";
    markers.forEach(function (marker) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.category + " #" + marker.id;
      var status = document.createElement("span");
      status.className = "map-popup__status";
      status.textContent = marker.status + " · " + marker.requested;
      item.append(link, status);
      list.append(item);
    });
    box.append(list);
    return box;
  }

  function pin(marker) {
    var dot = document.createElement("span");
    dot.className = "map-pin__dot";
    dot.style.backgroundColor = marker.colour; // the list's badge colour (the page's policy allows no inline style)
    var icon = L.divIcon({ className: "map-pin", html: dot, iconSize: [22, 22] });
    return L.marker([marker.lat, marker.lng], {
      icon: icon, keyboard: true, title: marker.category + " #" + marker.id + ", " + marker.status,
    }).bindPopup(popupFor([marker]));
  }

  function cluster(map, markers) {
    var bounds = L.latLngBounds(markers.map(function (m) { return [m.lat, m.lng]; }));
    var onOneSpot = bounds.getNorthEast().equals(bounds.getSouthWest());
    var listed = onOneSpot || map.getZoom() >= map.getMaxZoom();
    var label = (listed ? holder.dataset.clusterList : holder.dataset.clusterZoom).replace("%(count)s", markers.length);
    var size = markers.length < 10 ? 30 : markers.length < 100 ? 36 : 44;
    var content = document.createElement("span");
    var count = document.createElement("span");
    count.setAttribute("aria-hidden", "true");
    count.textContent = markers.length;
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = label;
    content.append(count, spoken);
    var icon = L.divIcon({ className: "map-cluster", html: content, iconSize: [size, size] });
    var layer = L.marker(bounds.getCenter(), { icon: icon, keyboard: true, title: label });
    if (listed) {
      layer.bindPopup(popupFor(markers), { maxHeight: 240 });
    } else {
      layer.on("click", function () {
        map.fitBounds(bounds, { padding: [CELL, CELL], maxZoom: Math.max(map.getZoom() + 1, MAX_FIT_ZOOM) });
      });
    }
    return layer;
  }

  function draw(map, layer, markers) {
    var cells = {};
    var zoom = map.getZoom();
    markers.forEach(function (marker) {
      var point = map.project([marker.lat, marker.lng], zoom);
      var key = Math.floor(point.x / CELL) + ":" + Math.floor(point.y / CELL);
      (cells[key] = cells[key] || []).push(marker);
    });
    layer.clearLayers();
    Object.keys(cells).forEach(function (key) {
      var group = cells[key];
      layer.addLayer(group.length === 1 ? pin(group[0]) : cluster(map, group));
    });
  }

  fetch(holder.dataset.markers, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { markers: [] }; })
    .then(function (body) {
      if (!body.markers.length) return;
      area.hidden = false;
      var map = L.map(holder, { scrollWheelZoom: false, maxZoom: 19 });
      L.tileLayer(holder.dataset.tiles, { maxZoom: 19, attribution: holder.dataset.attribution }).addTo(map);
      var layer = L.layerGroup().addTo(map);
      var points = body.markers.map(function (marker) { return [marker.lat, marker.lng]; });
      map.on("zoomend", function () { draw(map, layer, body.markers); });
      map.on("popupopen", function (event) {
        var link = event.popup.getElement().querySelector("a[href]:not(.leaflet-popup-close-button)");
        if (link) link.focus();
      });
      map.fitBounds(points, { paddingTopLeft: CLEAR_OF_ZOOM, paddingBottomRight: [20, 20], maxZoom: MAX_FIT_ZOOM });
      draw(map, layer, body.markers);
      holder.dataset.ready = "true";
    })
    .catch(function () { area.hidden = true; });
})();

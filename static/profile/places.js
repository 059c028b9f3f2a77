// The saved-place form: the address alone will do (the server finds it on the city's map). Here the map
// ("Pick the place on the map") and the phone ("Use my current location") can set the point instead, in the
// latitude and longitude fields folded away below. Whichever the person did last counts: typing the address
// again clears the point, so the server finds the address.
(function () {
  "use strict";
  var form = document.querySelector("[data-place-form]");
  if (!form) return;
  var lat = form.querySelector("#id_lat");
  var lng = form.querySelector("#id_lng");
  var address = form.querySelector("#id_address");
  var status = form.querySelector("[data-point-status]");
  var map = null;
  var quiet = false; // a move made by this script, not by the person

  function setPoint(newLat, newLng, message) {
    lat.value = newLat.toFixed(6);
    lng.value = newLng.toFixed(6);
    status.textContent = message;
  }

  address.addEventListener("input", function () {
    if (!lat.value && !lng.value) return;
    lat.value = lng.value = "";
    status.textContent = "";
  });

  var locate = document.getElementById("use-my-location");
  if ("geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        setPoint(position.coords.latitude, position.coords.longitude, status.dataset.located);
        if (map) { quiet = true; map.setView([position.coords.latitude, position.coords.longitude], 17); }
      });
    });
  }

  // The map: Leaflet is on the page only when the city has map tiles (map-defaults.js set it up).
  var opener = form.querySelector("[data-open-map]");
  var wrap = form.querySelector("[data-map-wrap]");
  if (!window.L || !form.dataset.tiles) return;
  opener.hidden = false;
  opener.addEventListener("click", function () {
    var open = opener.getAttribute("aria-expanded") === "true";
    opener.setAttribute("aria-expanded", String(!open));
    wrap.hidden = open;
    if (open || map) { if (map) map.invalidateSize(); return; }
    var start = lat.value && lng.value ? [Number(lat.value), Number(lng.value)] : form.dataset.centre.split(",").map(Number);
    map = window.L.map(form.querySelector("[data-map]"), { keyboard: true }).setView(start, lat.value ? 17 : 14);
    window.L.tileLayer(form.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    var marker = window.L.marker(start, { keyboard: false, interactive: false }).addTo(map);
    // The pin stays in the middle: moving the map (finger, mouse or arrow keys) moves the place.
    map.on("move", function () { marker.setLatLng(map.getCenter()); });
    map.on("moveend", function () {
      if (quiet) { quiet = false; return; }
      var centre = map.getCenter();
      setPoint(centre.lat, centre.lng, status.dataset.pinned);
    });
    map.on("click", function (event) { map.panTo(event.latlng); });
  });
})();

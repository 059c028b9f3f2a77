// "Use my current location" fills the saved-place form's latitude and longitude (when the browser can tell).
(function () {
  "use strict";
  var button = document.getElementById("use-my-location");
  var lat = document.getElementById("id_lat");
  var lng = document.getElementById("id_lng");
  if (!button || !lat || !lng || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      lng.focus();
    });
  });
})();

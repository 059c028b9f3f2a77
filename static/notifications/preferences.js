/* The preferences page: "Use my location" fills in the point of an area alert and picks "Around a point". */
(function () {
  "use strict";
  var button = document.querySelector("[data-use-location]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.style.display = "";  // the site's button style would beat the bare `hidden` attribute
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_area-lat").value = position.coords.latitude.toFixed(5);
      document.getElementById("id_area-lng").value = position.coords.longitude.toFixed(5);
      var circle = document.querySelector("input[name='area-kind'][value='circle']");
      if (circle) circle.checked = true;
    });
  });
})();

// Staff pages: small conveniences over forms that work without JavaScript.
(function () {
  "use strict";
  // A response template fills the reply box, to be edited before sending.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-template-for]")) return;
    var box = document.getElementById(select.dataset.templateFor);
    var option = select.selectedOptions[0];
    if (box && option && option.dataset.text) box.value = option.dataset.text;
  });
  // "Nearest first": ask the phone where it is, then reload the list sorted by distance.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-nearest]");
    if (!button || !navigator.geolocation) return;
    event.preventDefault();
    navigator.geolocation.getCurrentPosition(function (position) {
      var url = new URL(location.href);
      url.searchParams.set("lat", position.coords.latitude.toFixed(5));
      url.searchParams.set("lng", position.coords.longitude.toFixed(5));
      location.assign(url);
    });
  });
})();

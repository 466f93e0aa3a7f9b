// Optional: add the reporter's current location to a sighting, if they allow it.
// Without JavaScript (or without permission) the form works as it is.
(function () {
  var helper = document.querySelector("[data-location]");
  if (!helper || !("geolocation" in navigator)) return;
  var button = helper.querySelector("[data-location-button]");
  var status = helper.querySelector("[data-location-status]");
  helper.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(5);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(5);
        status.textContent = "Your location has been added to the sighting.";
      },
      function () {
        status.textContent = "Your location could not be added. Describe the place instead.";
      },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
})();

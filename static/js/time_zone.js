/* The time zone drop-down, pre-selected from the browser's own zone, without inline
   script. A <select data-browser-zone> (sign-up, and the banner asking a user to confirm
   their zone) is set to the zone the browser reports, when the list has it. Browsers
   still report some zones by their old names (Chrome: "Asia/Calcutta", "Europe/Kiev"),
   which the list has under their current ones: the select's data-zone-names (JSON, from
   applications/time_zones.py) says which zone each old name now is. Then, where
   the form also asks for the country of public holidays (sign-up), that country follows
   the zone chosen (each option's data-country) until the user picks one themselves.
   Without JavaScript the drop-down simply keeps the server's choice. */
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function hasOption(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        return true;
      }
    }
    return false;
  }

  function currentName(select, zone) {
    try {
      var oldNames = JSON.parse(select.getAttribute("data-zone-names") || "{}");
      return Object.prototype.hasOwnProperty.call(oldNames, zone) ? oldNames[zone] : zone;
    } catch (error) {
      return zone;
    }
  }

  function followCountry(zoneSelect) {
    var countrySelect = document.getElementById(zoneSelect.getAttribute("data-country-field") || "");
    if (!countrySelect) {
      return;
    }
    var pickedByHand = false;
    countrySelect.addEventListener("change", function () {
      pickedByHand = true;
    });
    function update() {
      var option = zoneSelect.options[zoneSelect.selectedIndex];
      var country = option ? option.getAttribute("data-country") || "" : "";
      if (!pickedByHand && hasOption(countrySelect, country)) {
        countrySelect.value = country;
      }
    }
    zoneSelect.addEventListener("change", update);
    update();
  }

  var zone = browserZone();
  var selects = document.querySelectorAll("select[data-browser-zone]");
  for (var i = 0; i < selects.length; i++) {
    var listed = zone && (hasOption(selects[i], zone) ? zone : currentName(selects[i], zone));
    if (listed && hasOption(selects[i], listed)) {
      selects[i].value = listed;
    }
    followCountry(selects[i]);
  }
})();

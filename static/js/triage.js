// Triage decision form: show "reason for declining" only when Declined is chosen, and
// "signposted or handed over to" only for Signposted. Without JavaScript both are shown.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var radios = document.querySelectorAll("input[name='outcome']");
    if (!radios.length) { return; }
    var groups = {
      declined: document.getElementById("div_id_decline_reason"),
      signposted: document.getElementById("div_id_signposted_to")
    };
    var update = function () {
      var chosen = document.querySelector("input[name='outcome']:checked");
      var value = chosen ? chosen.value : "";
      Object.keys(groups).forEach(function (key) {
        if (groups[key]) { groups[key].hidden = value !== key; }
      });
    };
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();

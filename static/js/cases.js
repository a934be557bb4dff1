// Contact attempts: a loud warning as soon as an unconfirmed route is chosen. The server
// refuses the route anyway unless overridden; this only warns earlier.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-unsafe-methods]");
    var warning = document.querySelector("[data-route-warning]");
    if (!form || !warning) { return; }
    var unsafe = (form.getAttribute("data-unsafe-methods") || "").split(",");
    var voicemailOk = form.getAttribute("data-voicemail-ok") === "yes";
    var method = form.querySelector("[name=method]");
    var voicemail = form.querySelector("[name=voicemail_left]");
    var update = function () {
      var bad = (method && unsafe.indexOf(method.value) !== -1) ||
        (voicemail && voicemail.checked && !voicemailOk);
      warning.classList.toggle("d-none", !bad);
    };
    if (method) { method.addEventListener("change", update); }
    if (voicemail) { voicemail.addEventListener("change", update); }
    update();
  });
})();

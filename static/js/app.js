// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // Exit this page: the link works without JavaScript; with it, replace the history
    // entry so Back does not return here, and also trigger on Shift pressed three times.
    var exit = document.querySelector("[data-exit-this-page]");
    if (exit) {
      var leave = function (event) {
        if (event) { event.preventDefault(); }
        document.body.innerHTML = "";
        document.title = "Weather";
        window.location.replace(exit.getAttribute("href"));
      };
      exit.addEventListener("click", leave);
      var presses = 0, timer = null;
      document.addEventListener("keyup", function (event) {
        if (event.key !== "Shift") { presses = 0; return; }
        presses += 1;
        clearTimeout(timer);
        timer = setTimeout(function () { presses = 0; }, 1000);
        if (presses >= 3) { leave(); }
      });
    }

    // Confirm buttons: data-confirm="message" asks before submitting.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();

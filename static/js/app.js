// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A public page restored from the back-forward cache would show what was on it when
  // the person left (the pages send no-store so this should not happen): fetch it again
  // instead, which asks the server, and hide it until then.
  // (Asked once now: an exit empties the page before it goes.)
  var publicPage = Boolean(document.querySelector("[data-exit-this-page]"));
  window.addEventListener("pageshow", function (event) {
    if (!publicPage) { return; }
    if (event.persisted) {
      document.body.innerHTML = "";
      window.location.reload();
      return;
    }
    // Back or Forward to a public page: the browser puts back what was typed into the
    // fields before (form state restoration, done by now), even though the server sent
    // the page afresh. Show only what the server sent: after an exit, that is nothing.
    var navigation = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")[0] : null;
    if (navigation && navigation.type === "back_forward") {
      document.querySelectorAll("form").forEach(function (form) { form.reset(); });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen reader users hear what went wrong.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // Exit this page: the link works without JavaScript (the draft then expires on the
    // server after SELF_REFERRAL_DRAFT_MINUTES). With it: ask the server to forget the
    // draft (a beacon survives the page going away), replace the history entry so Back
    // does not return here, and also trigger on Shift pressed three times.
    var exit = document.querySelector("[data-exit-this-page]");
    if (exit) {
      var discard = function () {
        var url = exit.getAttribute("data-discard-url");
        if (!url) { return; }
        var queued = navigator.sendBeacon ? navigator.sendBeacon(url) : false;
        if (!queued && window.fetch) {
          // No beacon (or its queue was full): a keepalive request also outlives the page.
          // Nobody is left to tell if it fails; the draft then expires on the server.
          window.fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" })
            .catch(function () { return null; });
        }
      };
      var leave = function (event) {
        if (event) { event.preventDefault(); }
        // Synchronous, so it cannot lose a race with Back: the next self-referral request
        // carries it and the server forgets the draft before showing anything.
        document.cookie = "sr_exited=1; path=/; SameSite=Strict" +
          (window.location.protocol === "https:" ? "; Secure" : "");
        discard();
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

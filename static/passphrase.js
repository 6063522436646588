/* The passphrase page's script (join_passphrase.html), run after participant.js.
   The passphrase is shown a few minutes only: then, once nothing was typed for a minute, the page hides it and asks
   the server again (/return says why). A warning comes first, with "I need more time" (WCAG 2.2.1). */
(function () {
  "use strict";
  var words = document.querySelector("ol.passphrase[data-shown-seconds]");
  if (!words) { return; }
  var until = Date.now() + parseInt(words.getAttribute("data-shown-seconds"), 10) * 1000;
  var warning = document.getElementById("passphrase-warning");
  var typed = 0;
  document.addEventListener("input", function () { typed = Date.now(); });
  window.setInterval(function () {
    if (warning.hidden && until - Date.now() <= warning.getAttribute("data-warn-seconds") * 1000) { roundtable.showWarning(warning); }
    if (Date.now() < until || Date.now() - typed < 60000) { return; }
    document.body.classList.add("hidden-now");
    window.location.replace(window.location.href);
  }, 5000);
})();

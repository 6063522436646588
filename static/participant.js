/* Quick exit for participant pages: works as a plain link without JavaScript.
   With JavaScript: hide the page at once, end the session through our own URL,
   then replace this page in history so Back does not return. Shift pressed three times also exits. */
(function () {
  "use strict";
  var exitLink = document.getElementById("quick-exit");
  if (!exitLink) { return; }
  var exitUrl = exitLink.getAttribute("href");

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add("hidden-now");
    document.title = "";
    window.location.replace(exitUrl);
  }

  exitLink.addEventListener("click", leave);

  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1200; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();

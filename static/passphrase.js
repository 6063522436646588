/* The passphrase page's script (join_passphrase.html), run after participant.js.
   The passphrase is shown a few minutes only: then, once nothing was typed for a minute, the page hides it and asks
   the server again (/return says why). A warning comes first, with "I need more time" (WCAG 2.2.1). */
(function () {
  "use strict";
  var words = document.querySelector("ol.passphrase[data-shown-seconds]");
  if (!words) { return; }
  var until = Date.now() + parseInt(words.getAttribute("data-shown-seconds"), 10) * 1000;
  var warning = document.getElementById("passphrase-warning");
  var form = document.getElementById("passphrase-check");
  var warningText = warning.innerHTML;
  var warned = false;
  var typed = 0;
  document.addEventListener("input", function (event) {
    typed = Date.now();
    event.target.scrollIntoView({ block: "nearest" });  // back from the warning, when it took the whole screen
  });
  window.setInterval(function () {
    if (!warned && until - Date.now() <= warning.getAttribute("data-warn-seconds") * 1000) { warn(); }
    if (Date.now() < until || Date.now() - typed < 60000) { return; }
    document.body.classList.add("hidden-now");
    window.location.replace(window.location.href);
  }, 5000);

  /* In the page, between the words and the boxes: scrolled to from its first line, with the box typed in below it
     where the screen holds both (at 200 % zoom it may not: typing on brings the box back). The focus stays in it. */
  function warn() {
    warned = true;
    warning.innerHTML = warningText;
    roundtable.showWarning(warning);
    var top = warning.getBoundingClientRect().top;
    var focused = form.contains(document.activeElement) ? document.activeElement : warning;
    var bottom = Math.max(warning.getBoundingClientRect().bottom, focused.getBoundingClientRect().bottom);
    window.scrollBy(0, top < 0 || bottom - top > window.innerHeight ? top : Math.max(0, bottom - window.innerHeight));
  }

  /* "I need more time" is asked for without leaving the page: sent again, the page would lose a word half typed, and
     the place typed in. The warning says what the server said, and the focus goes back; after the last time given the
     buttons go, as they do without JavaScript. An answer that is not this page with more time (the minutes were
     over) comes as without JavaScript; offline, the warning stays. */
  var asking = false;
  form.addEventListener("submit", function (event) {
    if (!event.submitter || event.submitter.name !== "more_time") { return; }
    event.preventDefault();
    if (asking) { return; }
    asking = true;
    var data = new FormData(form);
    data.set("more_time", "1");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var shown = page.querySelector("ol.passphrase[data-shown-seconds]");
        var said = page.querySelector("main .messages");
        if (!shown || !said) {
          form.appendChild(Object.assign(document.createElement("input"), { type: "hidden", name: "more_time", value: "1" }));
          form.submit();
          return;
        }
        until = Date.now() + parseInt(shown.getAttribute("data-shown-seconds"), 10) * 1000;
        warningText = page.getElementById("passphrase-warning").innerHTML;
        if (!page.querySelector("button[name=more_time]")) {  // the last time given: the page has no button left
          form.querySelectorAll("button[name=more_time]").forEach(function (button) { button.remove(); });
        }
        warned = false;
        warning.innerHTML = "<p></p>";
        warning.firstChild.textContent = said.textContent.trim();
        warning.hidden = false;  // (asked for with the form's own button, it may not have shown yet)
        roundtable.backFrom(warning);
      }, function () { /* no connection: nothing changed, the button is there to press again */ })
      .then(function () { asking = false; });
  });
})();

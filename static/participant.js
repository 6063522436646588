/* Every participant page's script. A page's own (writing.js, passphrase.js, pseudonym.js) comes after it and uses
   only what this namespace gives it. */
var roundtable = {
  SENT: "roundtable:sent:",  // this tab's copies of words a writing page sent, by its path (writing.js)

  /* Fixed at the bottom (the passphrase's is in the page), room kept for it: the focused control is scrolled above.
     Its button gives the focus back (backFrom): typing goes on where it was, the caret too. */
  showWarning: function (box) {
    box.hidden = false;
    document.documentElement.style.setProperty("--idle-warning-height", box.offsetHeight + "px");
    var focused = document.activeElement;
    if (focused && focused !== document.body && !box.contains(focused)) {
      focused.scrollIntoView({ block: "nearest" });
      box.focusWas = focused;
    }
  },
  backFrom: function (box) { if (box.focusWas) { box.focusWas.focus(); } }
};

/* Quick exit: a plain link without JavaScript. With it the page hides at once, the session ends through our own
   URL, and this page is replaced in history: Back does not return. Shift pressed three times exits too. */
(function () {
  "use strict";
  var exitLink = document.getElementById("quick-exit");
  if (!exitLink) { return; }
  var exitUrl = exitLink.getAttribute("href");

  function leave(event) {
    if (event) { event.preventDefault(); }
    forgetSentWords();
    document.body.classList.add("hidden-now");
    document.title = "";
    window.location.replace(exitUrl);
  }

  exitLink.addEventListener("click", leave);

  /* Words a writing page sent are kept in this tab until they are known to have arrived (writing.js). Forgotten on
     the way out, when no one is signed in here any more, and once the page after a save says they arrived. */
  function forgetSentWords(path) {
    try {
      Object.keys(sessionStorage).forEach(function (key) {
        if (key === roundtable.SENT + path || (path === undefined && key.indexOf(roundtable.SENT) === 0)) {
          sessionStorage.removeItem(key);
        }
      });
    } catch (e) { /* no storage in this browser: nothing was kept */ }
  }
  var stillHereUrl = document.body.getAttribute("data-still-here-url");  // only where a participant is signed in
  if (!stillHereUrl) {
    forgetSentWords();
  } else if (document.body.hasAttribute("data-words-arrived")) {
    forgetSentWords(document.body.getAttribute("data-words-arrived"));
  }

  /* The room kept above the focus (WCAG 2.4.11) is what stays of the exit bar: "What does this do?" wrapped above
     the button scrolls away (large text). */
  var bar = exitLink.parentNode, help = exitLink.nextElementSibling;
  if (help && window.ResizeObserver) {
    new ResizeObserver(function () {
      var above = help.offsetTop + help.offsetHeight > exitLink.offsetTop ? 0 : exitLink.offsetTop - help.offsetTop;
      bar.style.top = -above + "px";
      document.documentElement.style.setProperty("--exit-bar-height", bar.offsetHeight - above + "px");
    }).observe(bar);
  }

  /* A participant's page closes itself after the idle time, for the next person on a shared phone, with a warning
     first (WCAG 2.2.1). A key, a click or a scroll since the last tick (not the warning's own) is someone there.
     The server hears of it once a minute (or from an autosave: "roundtable:contact"), at once while the warning
     shows; the page counts from then, as the session does. "roundtable:closing" lets a draft be saved first. */
  var body = document.body;
  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var warning = document.getElementById("idle-warning");
  if (idleSeconds) {
    var told = Date.now();  // opening the page told the server
    var scrolledTo = window.pageYOffset;
    var someoneIsHere = function (event) {
      var warned = !warning.hidden;
      if (event && warning.contains(event.target)) {  // its button, once pressed (a key's letter stays out of the box)
        if (event.type !== "click") { return; }
        roundtable.backFrom(warning);
      }
      warning.hidden = true;
      if (!warned && Date.now() - told < 60000) { return; }
      told = Date.now();
      if (!stillHereUrl) { return; }
      var data = new URLSearchParams({ csrf_token: body.getAttribute("data-csrf") });
      fetch(stillHereUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function () { return "heard"; }, function () { return "unheard"; })
        .then(function (name) { document.dispatchEvent(new CustomEvent("roundtable:" + name)); });
    };
    document.addEventListener("roundtable:contact", function () { told = Date.now(); warning.hidden = true; });
    ["keydown", "input", "click"].forEach(function (name) { window.addEventListener(name, someoneIsHere, true); });
    var closing = false;
    window.setInterval(function () {
      if (window.pageYOffset !== scrolledTo) { someoneIsHere(); }
      var left = idleSeconds - (Date.now() - told) / 1000;
      if (!closing && left > 0 && left <= parseInt(body.getAttribute("data-warn-seconds"), 10) && warning.hidden) {
        roundtable.showWarning(warning);
      }
      scrolledTo = window.pageYOffset;
      if (closing || left > 0) { return; }
      document.body.classList.add("hidden-now");
      if (document.dispatchEvent(new CustomEvent("roundtable:closing", { cancelable: true }))) {
        closing = true;
        forgetSentWords();
        closeForSafety();
      } else {
        told = Date.now();  // the words are being saved; the page that answers takes over
      }
    }, 5000);
  }

  /* The way out ends the session on the server. Offline it would be the browser's error page, and Back from there
     the page before, still signed in: the page stays hidden and goes once the connection is back. */
  function closeForSafety() {
    if (navigator.onLine === false) { window.addEventListener("online", closeForSafety, { once: true }); return; }
    window.location.replace(body.getAttribute("data-idle-url"));
  }

  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1200; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();

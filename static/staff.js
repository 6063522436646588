/* Staff sessions end after idle time, for a laptop left open. While someone types, clicks or scrolls, the
   server hears of it every few minutes; shortly before the end (data-warn-seconds), a warning offers to stay signed in
   (WCAG 2.2.1). Without JavaScript the session ends as before and the sign-in page says why. */
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  var form = box && box.querySelector("form");
  if (!form || !window.fetch) { return; }
  var idleSeconds = parseInt(box.getAttribute("data-idle-seconds") || "0", 10);
  if (!idleSeconds) { return; }
  var WARN_BEFORE = parseInt(box.getAttribute("data-warn-seconds") || "120", 10);
  // Sized for the default half hour; a short idle time (set for trying things out) shrinks it.
  var TELL_EVERY = Math.min(300, idleSeconds / 3);
  var lastTold = Date.now();
  var lastActivity = 0;
  var telling = false;

  function tell() {
    telling = true;
    return fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok && !response.redirected) { lastTold = Date.now(); box.hidden = true; stillSignedIn(); }
      })
      .catch(function () {})
      .then(function () { telling = false; });
  }

  var ownScrollUntil = 0;  // showing the warning may scroll the page itself: that is nobody at work

  /* Someone here while the warning shows stays signed in at once: it does not wait for the next tick. */
  ["keydown", "input", "click", "scroll"].forEach(function (name) {
    window.addEventListener(name, function () {
      if (name === "scroll" && Date.now() < ownScrollUntil) { return; }
      lastActivity = Date.now();
      if (!box.hidden && !telling) { tell(); }
    }, { passive: true, capture: true });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); tell(); });

  /* The page keeps room at the bottom for the fixed warning (roundtable.css), and whatever has the focus is scrolled
     out from under it now (WCAG 2.4.11). */
  function keepFocusInSight(shown) {
    document.documentElement.style.setProperty("--idle-warning-height", shown.offsetHeight + "px");
    var focused = document.activeElement;
    if (focused && focused !== document.body && !shown.contains(focused)) { focused.scrollIntoView({ block: "nearest" }); }
  }

  /* Past the session's end (with the margin its own clock may be behind) the page does not stay on screen: it goes
     to the sign-in page, which says why and leads back here after (or at once, with the session kept alive in
     another tab). A page holding words not saved (a form typed in, or a question that carries
     a form's words: marked data-unsent) stays, said signed out: sent, the server shows the words back to copy. Work
     in another tab may have kept the session: the next word to the server that finds it alive takes that back. */
  var ENDED_AFTER = idleSeconds + 30;
  var warning = box.querySelector("p");
  var warned = warning.textContent;
  var saidSignedOut = false;
  function signedOut() {
    if (!document.querySelector("form[data-unsent]")) {
      window.location.replace(box.getAttribute("data-sign-in-url") + "?next=" +
        encodeURIComponent(window.location.pathname + window.location.search));
      return;
    }
    if (saidSignedOut) { return; }
    saidSignedOut = true;
    warning.textContent = box.getAttribute("data-signed-out");
    form.querySelector("button").hidden = true;
    box.hidden = false;
    keepFocusInSight(box);
  }
  function stillSignedIn() {
    if (!saidSignedOut) { return; }
    saidSignedOut = false;
    warning.textContent = warned;
    form.querySelector("button").hidden = false;
  }

  window.setInterval(function () {
    var quiet = (Date.now() - lastTold) / 1000;
    if (quiet > ENDED_AFTER) { signedOut(); return; }
    if (lastActivity > lastTold && quiet > TELL_EVERY) { tell(); return; }
    if (idleSeconds - quiet <= WARN_BEFORE && box.hidden) {
      box.hidden = false;
      ownScrollUntil = Date.now() + 1000;
      keepFocusInSight(box);
    }
  }, 15000);
})();

/* Changes made in a form and not sent yet are not lost unasked, to a link (the header's language links are plain
   links here) or to another form's button: leaving the page first asks, in the browser's own words. So does a page
   showing a refused form, whose words are not saved either. Sending the changed form itself is leaving on purpose. */
(function () {
  "use strict";
  var unsent = [];  // the forms changed and not sent
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (form) {
    if (form.querySelector(".has-error")) { unsent.push(form); form.setAttribute("data-unsent", ""); }
  });
  var conflict = document.querySelector(".conflict") && document.getElementById("quote-form");
  if (conflict) { unsent.push(conflict); conflict.setAttribute("data-unsent", ""); }
  document.addEventListener("input", function (event) {
    var form = event.target.form;  // a change to what a form saves; not choices that only ask for a file (export)
    if (form && form.method === "post" && !form.hasAttribute("data-leave-freely") && unsent.indexOf(form) < 0) {
      unsent.push(form);
      form.setAttribute("data-unsent", "");  // for the idle time-out above
    }
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) {
      event.target.removeAttribute("data-unsent");
      unsent = unsent.filter(function (form) { return form !== event.target; });
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsent.length) { event.preventDefault(); event.returnValue = ""; }
  });
})();

/* Quick exit: a plain link without JavaScript. With it the page hides at once, the session ends through our own
   URL, and this page is replaced in history: Back does not return. Shift pressed three times exits too. */
var SENT = "roundtable:sent:";  // this tab's copies of words a writing page sent, by its path (see below)

/* Fixed at the bottom (the passphrase's is in the page), room kept for it: the focused control is scrolled above. */
function showWarning(box) {
  box.hidden = false;
  document.documentElement.style.setProperty("--idle-warning-height", box.offsetHeight + "px");
  var focused = document.activeElement;
  if (focused && focused !== document.body) { focused.scrollIntoView({ block: "nearest" }); }
}

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

  /* Words a writing page sent are kept in this tab until they are known to have arrived (see below). Forgotten on
     the way out, when no one is signed in here any more, and once the page after a save says they arrived. */
  function forgetSentWords(path) {
    try {
      Object.keys(window.sessionStorage).forEach(function (key) {
        if (key === SENT + path || (path === undefined && key.indexOf(SENT) === 0)) { window.sessionStorage.removeItem(key); }
      });
    } catch (e) { /* no storage in this browser: nothing was kept */ }
  }
  var stillHereUrl = document.body.getAttribute("data-still-here-url");  // only where a participant is signed in
  if (!stillHereUrl) {
    forgetSentWords();
  } else if (document.body.hasAttribute("data-words-arrived")) {
    forgetSentWords(document.body.getAttribute("data-words-arrived"));
  }

  /* The room kept above the focus is the exit bar's own height (roundtable.css): larger text or text spacing
     makes it taller than the 7.5rem kept without JavaScript (WCAG 2.4.11, 2.4.12). */
  var bar = exitLink.closest(".exit-bar");
  if (bar && window.ResizeObserver) {
    new ResizeObserver(function () {
      document.documentElement.style.setProperty("--exit-bar-height", bar.offsetHeight + "px");
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
    var someoneIsHere = function () {
      var warned = !warning.hidden;
      warning.hidden = true;
      if (!warned && Date.now() - told < 60000) { return; }
      told = Date.now();
      if (!stillHereUrl) { return; }
      var data = new URLSearchParams({ csrf_token: body.getAttribute("data-csrf") });
      fetch(stillHereUrl, { method: "POST", body: data, credentials: "same-origin" })
        .catch(function () { /* offline: nobody to tell */ });
    };
    document.addEventListener("roundtable:contact", function () { told = Date.now(); warning.hidden = true; });
    ["keydown", "input", "click"].forEach(function (name) { window.addEventListener(name, someoneIsHere, true); });
    var closing = false;
    window.setInterval(function () {
      if (window.pageYOffset !== scrolledTo) { someoneIsHere(); }
      var left = idleSeconds - (Date.now() - told) / 1000;
      if (!closing && left > 0 && left <= parseInt(body.getAttribute("data-warn-seconds"), 10) && warning.hidden) {
        showWarning(warning);
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

/* Autosave: every few seconds a changed draft goes to our JSON endpoint (CSRF token from the form); the status line
   says when; typing keeps the session. Without JavaScript, "Save draft" and "Save and take a break" do it. */
(function () {
  "use strict";
  var form = document.querySelector("form.writing");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var lastSent = null;
  var busy = null;  // the autosave under way, if any
  var leaving = false;
  var restored = false;  // words put back into the box: the page says so until the next change is saved

  function snapshot() {
    var data = new FormData(form);
    ["submit", "save", "leave"].forEach(function (name) { data.delete(name); });
    return data;
  }

  function fingerprint(data) {
    return (data.get("text") || "") + "\u0000" + (data.get("language") || "");
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The time of day in the page's language ("1:50 PM"), as the server writes it; 13:50 without Intl.
  function clockTime(when) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang, { hour: "numeric", minute: "2-digit" }).format(when);
    } catch (e) {
      return pad(when.getHours()) + ":" + pad(when.getMinutes());
    }
  }

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (!url || busy || leaving) { return; }
    var data = snapshot();
    var print = fingerprint(data);
    if (lastSent === null) { lastSent = print; return; }  // the page's own content is saved already
    if (print === lastSent) { return; }
    busy = send(data)
      .then(function () {
        lastSent = print;
        document.dispatchEvent(new CustomEvent("roundtable:contact"));
        if (restored) { restored = false; return; }  // saved as a draft; "press the button again" still holds
        say(form.getAttribute("data-saved-text").replace("{time}", clockTime(new Date())));
      })
      .catch(notSaved)
      .then(function () { busy = null; });
  }

  /* Posts the draft; resolves once it is saved, else fails with the server's reason, if any. A page instead of
     JSON (the session ended) is "not saved". */
  function send(data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.redirected) { return { saved: false }; }
        return response.json().catch(function () { return { saved: false }; });
      })
      .then(function (answer) {
        if (!answer.saved) { throw new Error(answer.message || ""); }
      });
  }

  /* Says why, if the server said (a roundtable closed meanwhile) or the phone is offline, else the general advice. */
  function notSaved(problem) {
    if (navigator.onLine === false) { say(form.getAttribute("data-offline-text")); return; }
    say((problem && problem.message) || form.getAttribute("data-failed-text"));
  }

  /* Offline, a button would lead to the browser's error page, and Back from there loses the words. The reason is
     said under the buttons, scrolled into view; the focus stays on the button (role=status says it). */
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false) {
      event.preventDefault();
      say(form.getAttribute("data-offline-text"));
      status.scrollIntoView({ block: "nearest" });
    }
  });

  /* On a weak signal a button can fail on the way (the browser's error page; Back leads past this one). The words
     sent stay in this tab and come back into the box if this page opens without them, until the next page says
     they arrived, or the way out. Sent again, they are not stored twice. */
  var sentKey = SENT + window.location.pathname;
  try {
    var sentBefore = window.sessionStorage.getItem(sentKey);
    window.sessionStorage.removeItem(sentKey);
    if (sentBefore && sentBefore !== form.elements.text.value) {
      lastSent = fingerprint(snapshot());  // what the server has: the words put back are autosaved where drafts are
      form.elements.text.value = sentBefore;
      restored = true;
      say(form.getAttribute("data-restored-text"));
    }
  } catch (e) { /* no storage in this browser: nothing kept, nothing put back */ }
  form.addEventListener("submit", function (event) {
    // Not the words the page sends itself as it closes with nobody there: whoever opens it next may not be theirs.
    if (event.defaultPrevented || form.elements.closed_for_safety) { return; }
    try { window.sessionStorage.setItem(sentKey, form.elements.text.value); } catch (e) { /* as above */ }
  });

  /* Closing for safety with words not saved yet: the draft is saved and the session ended on the way out, as
     "Save and take a break" does (offline, once back; the page stays hidden meanwhile). Changes to words already
     shared are not sent without their author: the warning said they would be lost. */
  document.addEventListener("roundtable:closing", function (event) {
    if (!url || fingerprint(snapshot()) === lastSent) { return; }
    event.preventDefault();
    if (leaving) { return; }
    leaving = true;  // no autosave starts from now on
    if (Array.from(form.elements.text.value).length > parseInt(form.getAttribute("data-text-limit"), 10)) {
      staysHidden();  // the server would refuse them, and show them again: they stay here, hidden
    } else {
      leaveWithTheWords();
    }
  });

  /* Words too long to save: the page stays hidden, and says why, until someone asks to see them again. */
  function staysHidden() {
    var note = document.createElement("div");
    note.className = "closed-for-safety";
    note.setAttribute("role", "alert");
    var said = document.createElement("p");
    said.textContent = form.getAttribute("data-closed-text");
    var show = document.createElement("button");
    show.type = "button";
    show.textContent = form.getAttribute("data-show-text");
    show.addEventListener("click", function () {
      note.remove();
      document.body.classList.remove("hidden-now");
      leaving = false;
      document.dispatchEvent(new CustomEvent("roundtable:contact"));
      form.elements.text.focus();
    });
    note.appendChild(said);
    note.appendChild(show);
    document.body.appendChild(note);
    show.focus();
  }

  /* Sent after any autosave under way has ended: both at once would each make the draft. Marked as sent by the
     page itself: if the session ended meanwhile, the server does not show the words to whoever is there now. */
  function leaveWithTheWords() {
    if (busy) { busy.then(leaveWithTheWords); return; }
    if (navigator.onLine === false) { window.addEventListener("online", leaveWithTheWords, { once: true }); return; }
    if (!form.elements.closed_for_safety) {
      var marked = document.createElement("input");
      marked.type = "hidden";
      marked.name = "closed_for_safety";
      marked.value = "1";
      form.appendChild(marked);
    }
    var button = form.querySelector("[name=leave]");
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  if (url) {
    save();
    window.setInterval(save, 5000);
  }
})();

/* The passphrase is shown a few minutes only: then, once nothing was typed for a minute, the page hides it and asks
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
    if (warning.hidden && until - Date.now() <= warning.getAttribute("data-warn-seconds") * 1000) { showWarning(warning); }
    if (Date.now() < until || Date.now() - typed < 60000) { return; }
    document.body.classList.add("hidden-now");
    window.location.replace(window.location.href);
  }, 5000);
})();

/* A form marked data-sends-once (it makes the participant's place) ignores a double tap: the browser would show the
   second answer, "that pseudonym is taken". It goes again after 10 s with no answer, or after Back. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-sends-once]"), function (form) {
    var sentAt = 0;
    form.addEventListener("submit", function (event) {
      if (Date.now() - sentAt < 10000) { event.preventDefault(); } else { sentAt = Date.now(); }
    });
    window.addEventListener("pageshow", function (event) { if (event.persisted) { sentAt = 0; } });
  });
})();

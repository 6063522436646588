/* write.html, after participant.js: autosave of a changed draft every 5 s (without JavaScript, the buttons). */
(function () {
  "use strict";
  var form = document.querySelector("form.writing");
  if (!form) { return; }
  var box = form.elements.text;
  var url = form.dataset.autosaveUrl;
  var status = document.getElementById("autosave-status");
  // The server has what it sent: words typed before this script came are saved.
  var language = form.querySelector("[name=language][checked]");
  var lastSent = box.defaultValue + "\0" + (language ? language.value : "");
  var refused = null;  // words the server said no to: not sent again as they are
  var tried = "";  // the first words sent and never answered
  var busy = null, sending;  // the autosave under way, if any, and its words
  var leaving = false;
  var restored = false;  // words put back into the box: said until the next change is saved

  function fingerprint(data) {
    return (data.get("text") || "") + "\0" + (data.get("language") || "");
  }

  // "1:50 PM" as the server writes it; 13:50 without Intl.
  function clockTime(when) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang, { hour: "numeric", minute: "2-digit" }).format(when);
    } catch (e) {
      return ("0" + when.getHours()).slice(-2) + ":" + ("0" + when.getMinutes()).slice(-2);
    }
  }

  // Only when it changes: a screen reader says each change.
  function say(text) { if (status && status.textContent !== text) { status.textContent = text; } }

  function save() {
    if (!url || busy || leaving) { return; }
    var data = new FormData(form);  // no button: none is the submitter
    var print = fingerprint(data);
    if (print === lastSent || print === refused) { return; }
    sending = data.get("text");
    busy = send(data)
      .then(function () {
        lastSent = print;
        mark("typed_offline", false);
        document.dispatchEvent(new CustomEvent("roundtable:contact"));
        if (restored) { restored = false; return; }  // "press the button again" still holds
        say(form.dataset.savedText.replace("{time}", clockTime(new Date())));
      })
      .catch(function (problem) {
        if (problem.refused) { refused = print; } else { remember(sending); }
        notSaved(problem);
        if (problem.warning) {  // closed: saves no more, as its warning now says
          url = null;
          document.querySelector("#idle-warning p").textContent = problem.warning;
        }
      })
      .then(function () { busy = null; });
  }

  /* Resolves once saved, else fails with the server's reason. Refused: final (a page instead of JSON: the session
     ended); a busy or failing server may take them later. */
  function send(data) {
    return fetch(url, { method: "POST", body: data, headers: { Accept: "application/json" } })
      .then(function (response) {
        var final = response.redirected || response.status < 500 && response.status !== 429;
        return (response.redirected ? Promise.reject() : response.json())
          .catch(function () { return { saved: false }; })
          .then(function (answer) { answer.refused = final; return answer; });
      }, function () { return { saved: false, unreachable: true }; })
      .then(function (answer) {
        if (!answer.saved) { throw answer; }
        form.elements.seen.value = answer.seen;
        mark("tried", tried = "");
      });
  }

  /* Offline, the words wait to be saved; else the server's reason, or the general advice. */
  function notSaved(problem) {
    var offline = navigator.onLine === false || problem.unreachable;
    mark("typed_offline", offline);
    say(offline ? form.dataset.offlineSavingText : problem.message || form.dataset.failedText);
  }

  /* Marks read by access.py. typed_offline: a session that lapsed meanwhile is "no connection", not "away", until
     a save or a still-here ping gets through. */
  function mark(name, on) {
    (form.elements[name] || form.appendChild(Object.assign(document.createElement("input"),
      { type: "hidden", name: name, value: "1" }))).disabled = !on;
  }
  document.addEventListener("roundtable:unheard", function () { mark("typed_offline", true); });
  document.addEventListener("roundtable:heard", function () { mark("typed_offline", false); });

  // Sent, not answered (yet): maybe saved, so ours, not another tab's.
  function remember(text) {
    mark("tried", 1);
    form.elements.tried.value = (tried = tried || text) + "\x1f" + text;
  }

  /* Offline, a button would lead to the browser's error page, and Back from there loses the words: said instead. */
  form.addEventListener("submit", function (event) {
    if (busy) { remember(sending); }
    if (navigator.onLine === false) {
      event.preventDefault();
      status.textContent = form.dataset.offlineText;  // said again at each press
      status.scrollIntoView({ block: "nearest" });
    }
  });

  /* A button failing on a weak signal: the words sent stay in this tab and come back if this page opens without
     them, until the next page says they arrived. Sent again, they are stored once. */
  var sentKey = roundtable.SENT + location.pathname;
  try {
    var sentBefore = sessionStorage.getItem(sentKey);
    sessionStorage.removeItem(sentKey);
    if (sentBefore && sentBefore !== box.value) {
      box.value = sentBefore;
      restored = true;
      say(form.dataset.restoredText);
    }
  } catch (e) { /* no storage: nothing kept */ }
  form.addEventListener("submit", function (event) {
    // Not as it closes with nobody there: whoever opens it next may not be theirs.
    if (event.defaultPrevented || form.elements.closed_for_safety) { return; }
    try { sessionStorage.setItem(sentKey, box.value); } catch (e) { /* as above */ }
  });

  /* Closing for safety with words not saved: saved as "Save and take a break" does (offline, once back, hidden
     meanwhile). Changes to words already shared are not sent without their author. */
  document.addEventListener("roundtable:closing", function (event) {
    if (!url || fingerprint(new FormData(form)) === lastSent) { return; }
    event.preventDefault();
    if (leaving) { return; }
    leaving = true;  // no autosave starts from now on
    // Too long: the server would refuse them.
    (Array.from(box.value).length > +form.dataset.textLimit ? staysHidden : leaveWithTheWords)();
  });

  /* Too long to save: hidden, saying why, until someone asks to see them. */
  function staysHidden() {
    var note = document.createElement("div");
    note.className = "closed-for-safety";
    note.setAttribute("role", "alert");
    var said = document.createElement("p");
    said.textContent = form.dataset.closedText;
    var show = document.createElement("button");
    show.type = "button";
    show.textContent = form.dataset.showText;
    show.addEventListener("click", function () {
      note.remove();
      document.body.classList.remove("hidden-now");
      leaving = false;
      document.dispatchEvent(new CustomEvent("roundtable:contact"));
      box.focus();
    });
    note.append(said, show);
    document.body.appendChild(note);
    show.focus();
  }

  /* After any autosave under way. Marked, so a server whose session ended shows the words to nobody. */
  function leaveWithTheWords() {
    if (busy) { busy.then(leaveWithTheWords); return; }
    if (navigator.onLine === false) { addEventListener("online", leaveWithTheWords, { once: true }); return; }
    mark("closed_for_safety", true);
    var button = form.querySelector("[name=leave]");
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  if (url) {
    save();
    setInterval(save, 5000);
  }
})();

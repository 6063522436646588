/* The pseudonym page's script (join_pseudonym.html). Its form, marked data-sends-once, makes the participant's place:
   a double tap would send it twice, and the browser would show the second answer, "that pseudonym is taken". It goes
   again after 10 s with no answer, or after Back. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-sends-once]");
  if (!form) { return; }
  var sentAt = 0;
  form.addEventListener("submit", function (event) {
    if (Date.now() - sentAt < 10000) { event.preventDefault(); } else { sentAt = Date.now(); }
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { sentAt = 0; } });
})();

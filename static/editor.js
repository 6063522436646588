/* Quote builder enhancement: selecting words in the reflection fills the quote field; from the keyboard, a button
   copies the whole reflection there, to be trimmed. Without JavaScript the editor pastes the words instead. */
(function () {
  "use strict";
  var original = document.getElementById("original");
  var field = document.getElementById("text");
  if (!original || !field) { return; }

  function fill(words) {
    if (words) { field.value = words; field.focus(); }
  }

  original.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) { return; }
    if (!original.contains(selection.anchorNode) || !original.contains(selection.focusNode)) { return; }
    fill(selection.toString().trim());
  });

  var whole = document.getElementById("whole-reflection");
  if (whole) {
    whole.hidden = false;
    whole.addEventListener("click", function () { fill(original.textContent.trim()); });
  }
})();

/* Quote builder enhancement: selecting words in the reflection fills the quote field.
   Without JavaScript the editor pastes the words instead. */
(function () {
  "use strict";
  var original = document.getElementById("original");
  var field = document.getElementById("text");
  if (!original || !field) { return; }
  original.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) { return; }
    if (!original.contains(selection.anchorNode) || !original.contains(selection.focusNode)) { return; }
    var words = selection.toString().trim();
    if (words) { field.value = words; field.focus(); }
  });
})();

/* Quote builder enhancement: words selected in the reflection go into the quote box, whole words only; a passage
   selected while the box holds words joins them after an ellipsis (an omission), so nothing typed is lost. From the
   keyboard, a button copies the whole reflection into the box, to be trimmed there. The browser's undo brings back
   what the box held. Without JavaScript the editor pastes the words instead. */
(function () {
  "use strict";
  var original = document.getElementById("original");
  var field = document.getElementById("text");
  if (!original || !field) { return; }
  var WORD = /[\p{L}\p{M}\p{N}'\u2019\u02bc-]/u;

  function put(value) {
    field.focus();
    field.select();
    // insertText keeps the change in the browser's undo history; where it is not supported, set the value
    if (!document.execCommand || !document.execCommand("insertText", false, value)) { field.value = value; }
  }

  function offsetOf(node, offset) {
    var range = document.createRange();
    range.setStart(original, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  original.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    var range = selection.getRangeAt(0);
    if (!original.contains(range.startContainer) || !original.contains(range.endContainer)) { return; }
    var text = original.textContent;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    while (start > 0 && WORD.test(text.charAt(start - 1)) && WORD.test(text.charAt(start))) { start -= 1; }
    while (end < text.length && WORD.test(text.charAt(end)) && WORD.test(text.charAt(end - 1))) { end += 1; }
    var words = text.slice(start, end).trim();
    if (!words) { return; }
    var kept = field.value.trim();
    put(kept ? kept + " … " + words : words);
  });

  var whole = document.getElementById("whole-reflection");
  if (whole) {
    whole.hidden = false;
    whole.addEventListener("click", function () { put(original.textContent.trim()); });
  }
})();

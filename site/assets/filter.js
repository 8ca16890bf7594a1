// The index's filter: narrows the entries to those whose names or description contain every
// word typed. No server, no network: it reads the data-search attribute of each entry.
"use strict";
(function () {
  var box = document.getElementById("filter");
  var input = document.getElementById("filter-input");
  var count = document.getElementById("filter-count");
  var empty = document.getElementById("filter-empty");
  if (!box || !input || !count) {
    return;
  }
  var entries = Array.prototype.slice.call(document.querySelectorAll("[data-entry]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry) {
      var text = entry.getAttribute("data-search") || "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      entry.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    // Innermost groups first, so that a registrar hides when all its namespaces do.
    groups.slice().reverse().forEach(function (group) {
      group.hidden = !group.querySelector("[data-entry]:not([hidden])");
    });
    count.textContent = shown + " of " + entries.length + " shown";
    if (empty) {
      empty.hidden = shown !== 0;
    }
  }
  input.addEventListener("input", apply);
  box.hidden = false;
  if (input.value) {
    apply();
  }
})();

/* Label each cell of an admin list with its column's title, so that a phone can show each
   row as a card (admin_theme.css). The list reads as a table without this script. */
(function () {
  "use strict";
  function label() {
    var table = document.getElementById("result_list");
    if (!table) { return; }
    var titles = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (cell.tagName === "TD" && titles[index] && !cell.querySelector("input[type=checkbox]")) {
          cell.dataset.label = titles[index];
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();

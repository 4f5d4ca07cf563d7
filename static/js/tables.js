// On a phone each row of a data table reads as a card: every cell is labelled with its
// column's header (the stylesheet shows the label when the table stacks).
(function () {
  function label(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    var names = Array.prototype.map.call(head.cells, function (cell) {
      return cell.textContent.trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (!cell.hasAttribute("data-label") && names[index]) {
          cell.setAttribute("data-label", names[index]);
        }
      });
    });
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll("table.data"), label);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();

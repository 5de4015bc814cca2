// notesite: query tables (table[data-ns-sortable]) sort by a column when its header is clicked;
// a second click reverses the order. Cells sort by their data-sort value when they have one
// (numbers, dates), else by their text; empty cells go last.
(function () {
  "use strict";

  function key(cell) {
    if (!cell) return "";
    const given = cell.getAttribute("data-sort");
    return given !== null ? given : cell.textContent.trim();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    const x = Number(a), y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, header, column) {
    const body = table.tBodies[0];
    if (!body) return;
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows);
    rows.sort((r, s) => {
      const order = compare(key(r.cells[column]), key(s.cells[column]));
      return ascending ? order : -order;
    });
    rows.forEach((row) => body.appendChild(row));
  }

  function setUp(root) {
    root.querySelectorAll("table[data-ns-sortable]").forEach((table) => {
      if (table.dataset.nsSorting) return;
      table.dataset.nsSorting = "on";
      const head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      Array.from(head.cells).forEach((th, column) => {
        th.classList.add("ns-sortable");
        th.setAttribute("role", "button");
        th.tabIndex = 0;
        th.addEventListener("click", () => sortBy(table, th, column));
        th.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            sortBy(table, th, column);
          }
        });
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => setUp(document)); // material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", () => setUp(document));
  }
  setUp(document);
})();

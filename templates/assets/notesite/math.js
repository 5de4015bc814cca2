/* notesite: typeset the math that pymdownx.arithmatex (generic mode) left in the page, with the
   KaTeX copy shipped beside this file. Loaded only on pages that hold math. */
(function () {
  "use strict";

  function strip(text, display) {
    var t = text.trim();
    if (display && t.startsWith("\\[") && t.endsWith("\\]")) return t.slice(2, -2);
    if (!display && t.startsWith("\\(") && t.endsWith("\\)")) return t.slice(2, -2);
    return t;
  }

  function typeset(root) {
    if (typeof katex === "undefined") return;
    root.querySelectorAll(".arithmatex:not([data-ns-math])").forEach(function (el) {
      var display = el.tagName === "DIV";
      var tex = strip(el.textContent || "", display);
      el.setAttribute("data-ns-math", "");
      el.setAttribute("data-tex", tex);
      katex.render(tex, el, { displayMode: display, throwOnError: false });
    });
  }

  // mkdocs-material's instant navigation swaps pages without a reload: typeset each new page.
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { typeset(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { typeset(document); });
  } else {
    typeset(document);
  }
})();

/* notesite: the folder explorer. Loaded on every page.

   The theme's navigation holds a few entries only; the vault's folder tree is one JSON file
   (assets/notesite/explorer.json: [name, url, [folders...], [[title, url], ...]]) fetched the
   first time the explorer is shown, then cached for the session. Folders render their
   contents only when opened, so a vault of 10,000 notes costs the page nothing up front. */
(function () {
  "use strict";

  var tree = null; // a promise of the parsed JSON, shared by every page of the session

  function config() {
    return document.getElementById("ns-explorer-config");
  }

  function load(src) {
    if (!tree) {
      tree = fetch(src, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("explorer.json: HTTP " + response.status);
        return response.json();
      });
    }
    return tree;
  }

  function join(base, url) {
    return (base === "." ? "" : base + "/") + url;
  }

  function normalise(url) {
    return url.replace(/index\.html$/, "").replace(/\/$/, "");
  }

  function noteLink(base, current, title, url) {
    var a = document.createElement("a");
    a.className = "ns-explorer__note";
    a.href = join(base, url);
    a.textContent = title;
    if (normalise(url) === current) a.setAttribute("aria-current", "page");
    return a;
  }

  function folderElement(base, current, node, open) {
    // node: [name, url, folders, notes]
    var details = document.createElement("details");
    details.className = "ns-explorer__folder";
    var summary = document.createElement("summary");
    summary.textContent = node[0];
    details.appendChild(summary);
    if (node[1]) {
      var index = document.createElement("a");
      index.className = "ns-explorer__index";
      index.href = join(base, node[1]);
      index.textContent = "Folder page";
      index.title = "Open the page of " + node[0];
      summary.appendChild(document.createTextNode(" "));
      summary.appendChild(index);
    }
    var filled = false;
    function fill() {
      if (filled) return;
      filled = true;
      details.appendChild(listOf(base, current, node));
    }
    details.addEventListener("toggle", function () { if (details.open) fill(); });
    if (open) { details.open = true; fill(); }
    return details;
  }

  function contains(node, current) {
    if (node[1] && normalise(node[1]) === current) return true;
    for (var i = 0; i < node[3].length; i++) if (normalise(node[3][i][1]) === current) return true;
    for (var j = 0; j < node[2].length; j++) if (contains(node[2][j], current)) return true;
    return false;
  }

  function listOf(base, current, node) {
    var ul = document.createElement("ul");
    node[2].forEach(function (sub) {
      var li = document.createElement("li");
      li.appendChild(folderElement(base, current, sub, contains(sub, current)));
      ul.appendChild(li);
    });
    node[3].forEach(function (note) {
      var li = document.createElement("li");
      li.appendChild(noteLink(base, current, note[0], note[1]));
      ul.appendChild(li);
    });
    return ul;
  }

  function mount() {
    var cfg = config();
    var sidebar = document.querySelector(".md-sidebar--primary .md-sidebar__inner");
    if (!cfg || !sidebar || sidebar.querySelector(".ns-explorer")) return;
    var nav = document.createElement("nav");
    nav.className = "ns-explorer";
    nav.setAttribute("aria-label", "Explorer");
    var toggle = document.createElement("details");
    toggle.className = "ns-explorer__root";
    var summary = document.createElement("summary");
    summary.textContent = "Explorer";
    toggle.appendChild(summary);
    nav.appendChild(toggle);
    sidebar.appendChild(nav);
    var current = normalise(cfg.dataset.current || "");
    var shown = false;
    function show() {
      if (shown) return;
      shown = true;
      load(cfg.dataset.src).then(function (root) {
        toggle.appendChild(listOf(cfg.dataset.base || ".", current, root));
        nav.dataset.ready = "true";
      }).catch(function (error) {
        shown = false;
        console.warn("notesite explorer:", error);
      });
    }
    toggle.addEventListener("toggle", function () { if (toggle.open) show(); });
    // Open by default where the sidebar is visible, and on note pages inside a folder.
    if (window.matchMedia("(min-width: 76.25em)").matches) {
      toggle.open = true;
      show();
    }
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();

/* notesite: hover previews of the notes a link points to.
 *
 * Resting the mouse on a link to another page of the site (or tabbing to it) opens a popover
 * with that page's title and the start of its text; when the link names a heading
 * (`../B/#part-two`) the popover shows that heading's section, when it names a block
 * (`../B/#^blk`) that block.
 *
 * The content comes from the target page's own HTML: fetched once per page (same origin only),
 * parsed with DOMParser, never executed. Its scripts, players, graph and backlinks are dropped,
 * its ids removed (they would clash with the page's own) and its relative links and images
 * rewritten against the target page, so they keep leading where they led there.
 *
 * Listeners are delegated from document, so pages swapped in by mkdocs-material's instant
 * navigation work without re-running this file. Touch screens get no previews: a tap follows
 * the link. Plain ES2017, no dependencies.
 */
(() => {
  "use strict";

  if (window.__notesitePreviews) return; // loaded twice: one set of listeners is enough
  window.__notesitePreviews = true;

  const OPEN_DELAY = 300; // ms the pointer (or focus) rests on a link before the popover opens
  const CLOSE_DELAY = 200; // ms after leaving link and popover before it closes
  const GAP = 8; // px between the link and the popover, and the popover and the viewport edge
  const MAX_BLOCKS = 3; // blocks of text in the preview of a whole page
  const MAX_CHARS = 600; // ...or fewer, once this much text is in

  /** Links that never get a preview: permalinks, video timestamps and players, downloads. */
  const SKIPPED = "a.headerlink, a.ns-timestamp, .ns-video a, a[download]";
  /** What a preview never shows of the target page. */
  const DROPPED = [
    "script",
    "style",
    "link",
    "meta",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "frame",
    "form",
    "section.backlinks",
    ".ns-graph",
    ".ns-video",
    "a.headerlink",
    ".md-content__button",
    ".md-source-file",
  ].join(", ");
  const HEADING = /^H([1-6])$/;

  /** Page URL (no fragment) -> Promise of the page's parsed document, or null if unusable. */
  const cache = new Map();

  let popover = null; // the one popover element, made on first use
  let owner = null; // the link the popover is open (or opening) for
  let describedBy = null; // that link's own aria-describedby, restored on close
  let pending = null; // the link whose preview waits for its delay or its page
  let openTimer = 0;
  let closeTimer = 0;
  let generation = 0; // bumped when a preview is called off: its late page is then ignored

  /* ---------------------------------------------------------------- which links ------ */

  /** `value` as an absolute URL, relative to `base`; null when it is no URL at all. */
  const resolve = (value, base) => {
    try {
      return new URL(value, base);
    } catch (error) {
      return null;
    }
  };

  /** A file, not a page: the last path segment has an extension other than .html. */
  const isFile = (pathname) => {
    const last = pathname.slice(pathname.lastIndexOf("/") + 1);
    const dot = last.lastIndexOf(".");
    return dot > 0 && !/^\.html?$/i.test(last.slice(dot));
  };

  /** The URL a link of the article would preview, or null when it gets no preview. */
  const targetOf = (link) => {
    if (!link.closest("article") || link.matches(SKIPPED)) return null;
    const href = link.getAttribute("href");
    if (!href || href.startsWith("#")) return null; // a place on this very page
    const url = resolve(href, document.baseURI);
    if (!url || url.origin !== location.origin || !/^https?:$/.test(url.protocol)) return null;
    if (url.pathname === location.pathname && url.search === location.search) return null;
    if (isFile(url.pathname)) return null;
    return url;
  };

  /** The eligible link `node` is in, if any. */
  const linkAt = (node) => {
    const link = node instanceof Element ? node.closest("a[href]") : null;
    return link && targetOf(link) ? link : null;
  };

  /** Whether this device has a pointer that can hover (a touch screen has not). */
  const canHover = () => !(window.matchMedia && window.matchMedia("(hover: none)").matches);

  /* ----------------------------------------------------------- the target page ------ */

  /** The target page's parsed document; one request per page, shared by all its links. */
  const load = (pageUrl) => {
    if (!cache.has(pageUrl)) {
      const options = { credentials: "same-origin", headers: { Accept: "text/html" } };
      const request = fetch(pageUrl, options)
        .then((response) => {
          const type = response.headers.get("Content-Type") || "";
          // A 404 or a file served as something else than a page: no preview, and no retry.
          if (!response.ok || !/html/i.test(type)) return null;
          return response.text().then((text) => new DOMParser().parseFromString(text, "text/html"));
        })
        .catch(() => {
          cache.delete(pageUrl); // a network error may pass: let a later hover try again
          return null;
        });
      cache.set(pageUrl, request);
    }
    return cache.get(pageUrl);
  };

  /** The fragment of `url` as the element id it names (`^blk`, `part-two`). */
  const fragmentOf = (url) => {
    const raw = url.hash.slice(1);
    try {
      return decodeURIComponent(raw);
    } catch (error) {
      return raw;
    }
  };

  /** Plain text of a heading, without its permalink's pilcrow. */
  const headingText = (heading) => {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll("a.headerlink").forEach((a) => a.remove());
    return copy.textContent.trim();
  };

  /** A heading's section: the heading and what follows it, up to the next heading of the
   * same or a higher level. */
  const sectionOf = (heading) => {
    const level = Number(HEADING.exec(heading.tagName)[1]);
    const nodes = [heading];
    for (let node = heading.nextElementSibling; node; node = node.nextElementSibling) {
      const match = HEADING.exec(node.tagName);
      if (match && Number(match[1]) <= level) break;
      nodes.push(node);
    }
    return nodes;
  };

  /** A block with an id: the element itself; a list item keeps a list around it. */
  const blockOf = (element) => {
    if (element.tagName !== "LI" || !element.parentElement) return [element];
    const list = element.parentElement.cloneNode(false);
    list.appendChild(element.cloneNode(true));
    return [list];
  };

  /** The blocks of a page's article; a canvas's page gives its text cards' blocks instead
   * (its boxes, placed for a board, mean nothing in a preview), and an embedded canvas none. */
  const blocksOf = (article) =>
    Array.from(article.children).flatMap((node) => {
      if (node.matches(".ns-embed--canvas")) return [];
      if (node.matches(".ns-canvas")) return Array.from(node.querySelectorAll(".ns-canvas__text > *"));
      return [node];
    });

  /** The start of a page: its first few blocks after the title. */
  const startOf = (article, title) => {
    const nodes = [];
    let blocks = 0;
    let chars = 0;
    for (const node of blocksOf(article)) {
      if (node === title || node.matches("dl.ns-fields")) continue; // shown as the title / noise
      if (!node.textContent.trim() && !node.querySelector("img, svg, table")) continue;
      nodes.push(node);
      if (!HEADING.test(node.tagName)) blocks += 1;
      chars += node.textContent.length;
      if (blocks >= MAX_BLOCKS || chars >= MAX_CHARS) break;
    }
    return nodes;
  };

  /** Title and nodes (of a copy of the page's article) that preview `url`, or null. */
  const extract = (doc, url) => {
    const page = doc.querySelector("article.md-content__inner") || doc.querySelector("article");
    if (!page) return null;
    const article = page.cloneNode(true); // the cached page stays whole for the next preview
    article.querySelectorAll(DROPPED).forEach((node) => node.remove());
    const title = article.querySelector("h1");
    const pageTitle = title ? headingText(title) : doc.title;

    const id = fragmentOf(url);
    const target = id ? article.querySelector("#" + CSS.escape(id)) : null;
    if (target && HEADING.test(target.tagName) && target !== title) {
      return { title: pageTitle, nodes: sectionOf(target) };
    }
    if (target && target !== title) return { title: pageTitle, nodes: blockOf(target) };
    // No fragment, the page's own title, or a fragment the page no longer has: its start.
    return { title: pageTitle, nodes: startOf(article, title) };
  };

  /** Make a copy of the target's nodes safe and correct inside this page. */
  const adopt = (nodes, pageUrl) => {
    const fragment = document.createDocumentFragment();
    for (const node of nodes) fragment.appendChild(document.importNode(node, true));
    const elements = fragment.querySelectorAll("*");
    for (const el of elements) {
      for (const attr of Array.from(el.attributes)) {
        // Inline handlers never run here; ids and form names would clash with the page's own.
        if (/^on/i.test(attr.name) || ["id", "name", "for"].includes(attr.name)) {
          el.removeAttribute(attr.name);
        }
      }
      // Relative addresses were written for the target page: resolve them against it.
      for (const name of ["href", "src", "poster"]) {
        const value = el.getAttribute(name);
        if (value === null) continue;
        const absolute = resolve(value, pageUrl);
        if (!absolute || absolute.protocol === "javascript:") el.removeAttribute(name);
        else el.setAttribute(name, absolute.href);
      }
      el.removeAttribute("srcset"); // src alone is enough here, and already resolved
      // Media from other hosts would be fetched on a mere hover: leave them out.
      if (/^(IMG|VIDEO|AUDIO|SOURCE)$/.test(el.tagName)) {
        const src = resolve(el.getAttribute("src") || "", pageUrl);
        if (src && src.origin !== location.origin) el.remove();
        else if (el.tagName === "IMG") el.setAttribute("loading", "lazy");
      }
    }
    // Math arrives as TeX source; typeset it when this page has KaTeX loaded.
    if (typeof window.katex !== "undefined") {
      fragment.querySelectorAll(".arithmatex").forEach((el) => {
        const display = el.tagName === "DIV";
        // Generic arithmatex writes \( … \) inline and \[ … \] on its own line.
        const tex = el.textContent.trim().replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
        try {
          window.katex.render(tex, el, { displayMode: display, throwOnError: false });
        } catch (error) {
          /* leave the source as it is */
        }
      });
    }
    return fragment;
  };

  /* ------------------------------------------------------------------ the popover ------ */

  const popoverElement = () => {
    if (!popover) {
      popover = document.createElement("div");
      popover.id = "ns-preview";
      popover.className = "ns-preview md-typeset";
      popover.setAttribute("role", "tooltip");
      popover.hidden = true;
      const title = document.createElement("div");
      title.className = "ns-preview__title";
      const body = document.createElement("div");
      body.className = "ns-preview__body";
      popover.append(title, body);
    }
    // Kept in <body>; put back if something replaced the body.
    if (!popover.isConnected) document.body.appendChild(popover);
    return popover;
  };

  /** The part of the viewport not under mkdocs-material's sticky header. */
  const viewport = () => {
    const header = document.querySelector(".md-header");
    const top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    return {
      top,
      width: document.documentElement.clientWidth,
      height: document.documentElement.clientHeight,
    };
  };

  /** Put the popover below the link, or above it when there is more room there. */
  const place = (link, point) => {
    // A link that wraps has one box per line: use the one under the pointer, else the first.
    const boxes = Array.from(link.getClientRects());
    const under = (r) =>
      point && point.x >= r.left && point.x <= r.right && point.y >= r.top && point.y <= r.bottom;
    const box = boxes.find(under) || boxes[0] || link.getBoundingClientRect();
    const view = viewport();
    popover.style.left = "0px";
    popover.style.top = "0px";
    popover.style.maxHeight = "";
    const width = popover.offsetWidth;
    let height = popover.offsetHeight;
    const below = view.height - box.bottom - GAP;
    const above = box.top - view.top - GAP;
    const room = Math.max(below, above);
    if (height > room) {
      // Room on neither side: shorten the popover to the larger one (its body fades out).
      height = Math.max(Math.floor(room) - 1, 0);
      popover.style.maxHeight = `${height}px`;
    }
    const top = height <= below || below >= above ? box.bottom + GAP : box.top - GAP - height;
    const left = Math.max(GAP, Math.min(box.left, view.width - width - GAP));
    // Absolute in page coordinates, so the popover scrolls with its link.
    const parent = popover.offsetParent;
    const origin =
      parent && getComputedStyle(parent).position !== "static"
        ? parent.getBoundingClientRect()
        : { left: -window.scrollX, top: -window.scrollY };
    popover.style.left = `${Math.round(left - origin.left)}px`;
    popover.style.top = `${Math.round(top - origin.top)}px`;
    popover.classList.toggle("ns-preview--above", top < box.top);
  };

  /** Give the link back its own aria-describedby. */
  const release = () => {
    if (!owner) return;
    if (describedBy) owner.setAttribute("aria-describedby", describedBy);
    else owner.removeAttribute("aria-describedby");
    owner = null;
    describedBy = null;
  };

  const isOpen = () => Boolean(popover && !popover.hidden);

  /** Fill the popover for `link` and show it. */
  const show = (link, preview, pageUrl, point) => {
    const element = popoverElement();
    const title = element.querySelector(".ns-preview__title");
    const body = element.querySelector(".ns-preview__body");
    clearTimeout(closeTimer);
    release();
    title.textContent = preview.title;
    body.textContent = "";
    body.appendChild(adopt(preview.nodes, pageUrl));
    element.hidden = false;
    // Content taller than the cap fades out instead of ending mid-line.
    element.classList.toggle("ns-preview--clipped", body.scrollHeight > body.clientHeight + 1);
    place(link, point);
    owner = link;
    describedBy = link.getAttribute("aria-describedby");
    const ids = describedBy ? `${describedBy} ${element.id}` : element.id;
    link.setAttribute("aria-describedby", ids); // screen readers read the preview with the link
  };

  /** Fetch what `link` points to and show it, unless it was called off meanwhile. */
  const open = (link, point) => {
    const url = targetOf(link);
    if (!url || !link.isConnected) {
      pending = null;
      return;
    }
    const pageUrl = url.href.split("#")[0];
    const ticket = ++generation;
    load(pageUrl).then((doc) => {
      if (ticket !== generation || !link.isConnected) return; // called off, or the page changed
      pending = null;
      const preview = doc && extract(doc, url);
      if (preview && preview.nodes.length) show(link, preview, pageUrl, point);
    });
  };

  /** Forget a preview that is waiting for its delay or its page. */
  const cancelOpen = () => {
    clearTimeout(openTimer);
    pending = null;
    generation += 1; // a page still loading for it will be ignored
  };

  /** Open the preview of `link` after `delay`, unless it is open or on its way already. */
  const scheduleOpen = (link, delay, point) => {
    if (owner === link && isOpen()) {
      clearTimeout(closeTimer); // back on the link: stay open
      return;
    }
    if (pending === link) return;
    cancelOpen();
    pending = link;
    openTimer = setTimeout(() => open(link, point), delay);
  };

  /** Hide the popover now (a preview on its way for another link still comes). */
  const hide = () => {
    clearTimeout(closeTimer);
    if (popover) popover.hidden = true;
    release();
  };

  /** Hide the popover after a moment: time to move the pointer into it, or back. */
  const scheduleClose = () => {
    clearTimeout(closeTimer);
    if (isOpen()) closeTimer = setTimeout(hide, CLOSE_DELAY);
  };

  /** No preview at all: none shown, none coming. */
  const close = () => {
    cancelOpen();
    hide();
  };

  /* ------------------------------------------------------------------- listeners ------ */

  const inPopover = (node) => Boolean(popover && node instanceof Node && popover.contains(node));
  const hovered = (element) => Boolean(element && element.matches(":hover"));

  document.addEventListener("pointerover", (event) => {
    if (event.pointerType === "touch" || !canHover()) return; // a tap just follows the link
    if (inPopover(event.target)) {
      clearTimeout(closeTimer); // moving into the popover keeps it open
      return;
    }
    const link = linkAt(event.target);
    if (link) scheduleOpen(link, OPEN_DELAY, { x: event.clientX, y: event.clientY });
  });

  document.addEventListener("pointerout", (event) => {
    const to = event.relatedTarget;
    if (inPopover(event.target)) {
      if (!inPopover(to)) scheduleClose(); // back onto its link: pointerover keeps it open
      return;
    }
    const link = linkAt(event.target);
    if (!link || (to instanceof Node && link.contains(to))) return; // still on the link
    if (pending === link) cancelOpen();
    if (owner === link) scheduleClose();
  });

  // Keyboard: a link reached with Tab previews like a hovered one; the focus a click gives
  // does not (the click follows the link anyway).
  document.addEventListener("focusin", (event) => {
    const link = linkAt(event.target);
    if (!link) return;
    let keyboard = true;
    try {
      keyboard = link.matches(":focus-visible");
    } catch (error) {
      /* a browser without :focus-visible: count every focus as the keyboard's */
    }
    if (keyboard) scheduleOpen(link, OPEN_DELAY, null);
  });

  document.addEventListener("focusout", (event) => {
    const link = linkAt(event.target);
    if (!link) return;
    if (pending === link) cancelOpen();
    // Focus moving on while the pointer rests on the link or its popover keeps it open.
    if (owner === link && !hovered(link) && !hovered(popover)) hide();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && (pending || isOpen())) close();
  });

  // A press anywhere but in the popover, following a link (with the mouse or Enter: instant
  // navigation keeps this page's <body>, popover included), going back or forward, or a
  // resized window: no preview.
  document.addEventListener("pointerdown", (event) => {
    if (!inPopover(event.target)) close();
  });
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) close();
  });
  window.addEventListener("popstate", close);
  window.addEventListener("resize", close);
})();

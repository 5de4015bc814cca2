/* notesite: YouTube players and timestamps (see notesite/markdown/youtube.py).
 *
 * The page holds only a facade per video: <div class="ns-video" data-video-id="ID"
 * [data-start="N"]> around <a class="ns-video__facade" href="https://www.youtube.com/watch?...">.
 * Nothing is requested from YouTube until the reader clicks: then the facade is replaced by a
 * youtube-nocookie.com iframe. Timestamps are <a class="ns-timestamp" data-t-seconds="N">;
 * a click starts (or moves) the page's first player at that second (in an embedded note, the
 * note's own player, shown in the embed).
 *
 * Listeners are delegated from document, so pages swapped in by mkdocs-material's instant
 * navigation work without re-running this file. Plain ES2017, no dependencies.
 */
(() => {
  "use strict";

  if (window.__notesiteYoutube) return; // loaded twice: one set of listeners is enough
  window.__notesiteYoutube = true;

  const ORIGIN = "https://www.youtube-nocookie.com";
  /** Iframes whose player has said it is ready to take IFrame API commands. */
  const ready = new WeakSet();
  let nextId = 1;

  const embedUrl = (id, start) =>
    `${ORIGIN}/embed/${encodeURIComponent(id)}?autoplay=1&start=${start}&enablejsapi=1`;

  /** A plain left click: modified clicks keep their meaning (new tab, new window...). */
  const plainClick = (event) =>
    event.button === 0 &&
    !event.defaultPrevented &&
    !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);

  const seconds = (value) => {
    const n = parseInt(value || "0", 10);
    return Number.isFinite(n) && n > 0 ? n : 0;
  };

  const idOf = (iframe) => Number(iframe.dataset.playerId);

  const post = (iframe, message) => {
    if (iframe.contentWindow) iframe.contentWindow.postMessage(JSON.stringify(message), ORIGIN);
  };

  /** Replace the facade of `box` (a .ns-video) by a playing iframe starting at `start`.
   * `focus`: move keyboard focus to the player, as the facade that had it is gone. */
  const play = (box, start, focus) => {
    const id = box.dataset.videoId;
    if (!id) return null;
    const title = box.querySelector(".ns-video__title");
    const iframe = document.createElement("iframe");
    iframe.className = "ns-video__player";
    iframe.src = embedUrl(id, start);
    iframe.title = title && title.textContent ? title.textContent : "YouTube video";
    iframe.allow = "autoplay; encrypted-media; picture-in-picture";
    iframe.allowFullscreen = true;
    iframe.setAttribute("allowfullscreen", "");
    // YouTube refuses to play embeds that send no referrer at all.
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.dataset.playerId = String(nextId++);
    // Each (re)load: forget readiness, then ask the player to report its state to us.
    iframe.addEventListener("load", () => {
      ready.delete(iframe);
      post(iframe, { event: "listening", id: idOf(iframe), channel: "widget" });
    });
    const facade = box.querySelector(".ns-video__facade");
    if (facade) facade.replaceWith(iframe);
    else box.appendChild(iframe);
    box.classList.add("ns-video--playing");
    if (focus) iframe.focus();
    return iframe;
  };

  /** Whether all of `el` is visible, below mkdocs-material's sticky header. */
  const inView = (el) => {
    const rect = el.getBoundingClientRect();
    const header = document.querySelector(".md-header");
    const top = header ? header.getBoundingClientRect().bottom : 0;
    const height = window.innerHeight || document.documentElement.clientHeight;
    return rect.top >= top && rect.bottom <= height;
  };

  /** Move the page's player to `start` seconds, starting it if it is still a facade. */
  const seek = (box, start) => {
    if (!inView(box)) {
      const reduce =
        window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      box.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
    }
    const iframe = box.querySelector("iframe");
    if (!iframe) {
      play(box, start, false);
    } else if (ready.has(iframe)) {
      // A ready player seeks without reloading (keeps buffer, volume, captions...).
      const id = idOf(iframe);
      const command = (func, args) => ({ event: "command", func, args, id, channel: "widget" });
      post(iframe, command("seekTo", [start, true]));
      post(iframe, command("playVideo", []));
    } else {
      ready.delete(iframe);
      iframe.src = embedUrl(box.dataset.videoId, start);
    }
  };

  document.addEventListener("click", (event) => {
    if (!plainClick(event) || !(event.target instanceof Element)) return;

    const facade = event.target.closest("a.ns-video__facade");
    if (facade) {
      const box = facade.closest(".ns-video");
      if (!box || !box.dataset.videoId) return; // nothing to play here: follow the link
      event.preventDefault();
      play(box, seconds(box.dataset.start), true);
      return;
    }

    const stamp = event.target.closest("a.ns-timestamp");
    if (stamp) {
      // A timestamp of an embedded note plays that note's player, shown in the embed; any
      // other, the page's own player, the first one on the page (the generator puts it first).
      const embed = stamp.closest(".ns-embed");
      const box =
        (embed && embed.querySelector(".ns-video[data-video-id]")) ||
        document.querySelector(".ns-video[data-video-id]");
      if (!box) return; // no player on this page: follow the link to youtube.com
      event.preventDefault();
      seek(box, seconds(stamp.dataset.tSeconds));
    }
  });

  // The player reports its state once it got our "listening" message; only messages from the
  // youtube-nocookie origin and from one of our iframes count.
  window.addEventListener("message", (event) => {
    if (event.origin !== ORIGIN || typeof event.data !== "string") return;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (!data || !["onReady", "initialDelivery", "infoDelivery"].includes(data.event)) return;
    for (const iframe of document.querySelectorAll(".ns-video iframe")) {
      if (iframe.contentWindow === event.source) {
        ready.add(iframe);
        break;
      }
    }
  });
})();

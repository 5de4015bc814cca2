/* notesite: the graph view (see notesite/site/graph_data.py for graph.json's format).
 *
 * Draws every <div class="ns-graph"> of the page on a <canvas>:
 *
 * - ns-graph--global: the whole vault; graph.json is fetched at once;
 * - ns-graph--local: the note given by data-current (its URL from the site's root) and its
 *   neighbours up to data-depth links away, links and backlinks alike; graph.json is fetched
 *   when the container comes near the viewport.
 *
 * data-graph-url is graph.json's URL relative to the page; graph.json sits at the site's root, so
 * node URLs are resolved against its folder. The document is fetched once per page load and
 * shared by every graph (instant navigation keeps it too).
 *
 * Layout: a spiral seed in breadth-first order, refined by a force simulation (link springs,
 * Barnes-Hut repulsion, a weak pull to the centre) that runs a time-boxed number of ticks per
 * animation frame and stops when it cools. Frames are drawn only when something changed; while
 * a big graph moves, only a sample of its links is drawn (all of them once it is still).
 *
 * Mouse and touch: drag the background to pan, wheel or pinch to zoom (a local graph takes the
 * wheel only once clicked, or with ctrl: the page scrolls over it), drag a node to move it,
 * hover to highlight a node and its neighbours, click to open a note. Keyboard (the canvas is
 * focusable): arrows move from node to node, Enter opens it, + and - zoom, 0 fits, shift+arrows
 * pan, Escape clears. A visually hidden list of the graph's notes follows the canvas for screen
 * readers. Colours come from mkdocs-material's CSS variables, re-read when the palette changes.
 *
 * For tests: container.dataset.nsGraphReady (ms from this script's start, or from the graph's
 * creation for graphs added later, to its first frame), .nsGraphNodes (nodes drawn),
 * .nsGraphSettled (set when the simulation has cooled) and
 * window.notesiteGraph.nodeAt(container, title) -> {x, y} in client coordinates, or null.
 *
 * Plain ES2017, no dependencies, nothing requested but graph.json.
 */
(() => {
  "use strict";

  if (window.notesiteGraph) return; // loaded twice: one set of graphs is enough

  const T0 = performance.now();
  let started = false; // graphs made after the page's first init time themselves

  // -- data -------------------------------------------------------------------------------------

  /** Promises of parsed graph documents, by absolute URL. */
  const documents = new Map();

  const load = (url) => {
    let promise = documents.get(url);
    if (!promise) {
      promise = fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
          return response.json();
        })
        .then((json) => prepare(json, new URL(json.root || ".", url).href));
      promise.catch(() => documents.delete(url)); // a failed fetch may be retried later
      documents.set(url, promise);
    }
    return promise;
  };

  /** Compressed adjacency (both directions) of `m` links given as pairs in `ends`. */
  const adjacency = (n, ends) => {
    const start = new Int32Array(n + 1);
    for (let e = 0; e < ends.length; e++) start[ends[e] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const list = new Int32Array(ends.length);
    for (let e = 0; e < ends.length; e += 2) {
      const a = ends[e];
      const b = ends[e + 1];
      list[fill[a]++] = b;
      list[fill[b]++] = a;
    }
    return { start, list };
  };

  /** The document as typed arrays, with the site root its URLs are relative to. */
  const prepare = (json, root) => {
    const raw = Array.isArray(json.nodes) ? json.nodes : [];
    const n = raw.length;
    const titles = new Array(n);
    const urls = new Array(n);
    const groups = new Int32Array(n);
    const degree = new Int32Array(n);
    const groupNames = [];
    const groupIndex = new Map();
    for (let i = 0; i < n; i++) {
      const node = raw[i];
      titles[i] = String(node[0]);
      urls[i] = typeof node[1] === "string" ? node[1] : "";
      const group = String(node[2] || "");
      let g = groupIndex.get(group);
      if (g === undefined) {
        g = groupNames.length;
        groupNames.push(group);
        groupIndex.set(group, g);
      }
      groups[i] = g;
      degree[i] = node[3] | 0;
    }
    const rawLinks = Array.isArray(json.links) ? json.links : [];
    const ends = new Int32Array(rawLinks.length * 2);
    let m = 0;
    for (const link of rawLinks) {
      const a = link[0] | 0;
      const b = link[1] | 0;
      if (a === b || a < 0 || b < 0 || a >= n || b >= n) continue;
      ends[m++] = a;
      ends[m++] = b;
    }
    const links = ends.subarray(0, m);
    return { n, titles, urls, groups, degree, groupNames, links, adj: adjacency(n, links), root };
  };

  /** A URL as a comparable key: decoded path, `index.html` dropped. */
  const pageKey = (url) => {
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch (error) {
      // a malformed escape: compare as written
    }
    return path.replace(/(^|\/)index\.html$/, "$1");
  };

  /** The part of `data` to draw: all of it, or the neighbourhood of `current`. */
  const subgraph = (data, current, depth) => {
    if (current === null) {
      return Object.assign({}, data, { ids: null, current: -1 });
    }
    const root = new URL(data.root);
    if (!data.pages) {
      // page -> node, made once per document (instant navigation reuses it)
      data.pages = new Map();
      for (let i = data.n - 1; i >= 0; i--) {
        if (data.urls[i] || data.groupNames[data.groups[i]] !== "tag") {
          data.pages.set(pageKey(new URL(data.urls[i], root)), i);
        }
      }
    }
    const centre = data.pages.get(pageKey(new URL(current, root)));
    if (centre === undefined) return null;
    const seen = new Map([[centre, 0]]);
    let frontier = [centre];
    for (let level = 0; level < depth && frontier.length; level++) {
      const next = [];
      for (const i of frontier) {
        for (let k = data.adj.start[i]; k < data.adj.start[i + 1]; k++) {
          const j = data.adj.list[k];
          if (!seen.has(j)) {
            seen.set(j, seen.size);
            next.push(j);
          }
        }
      }
      frontier = next;
    }
    const ids = Array.from(seen.keys());
    const n = ids.length;
    const ends = [];
    for (let e = 0; e < data.links.length; e += 2) {
      const a = seen.get(data.links[e]);
      const b = seen.get(data.links[e + 1]);
      if (a !== undefined && b !== undefined) ends.push(a, b);
    }
    const links = Int32Array.from(ends);
    return {
      n,
      titles: ids.map((i) => data.titles[i]),
      urls: ids.map((i) => data.urls[i]),
      groups: Int32Array.from(ids, (i) => data.groups[i]),
      degree: Int32Array.from(ids, (i) => data.degree[i]),
      groupNames: data.groupNames,
      links,
      adj: adjacency(n, links),
      root: data.root,
      ids,
      current: 0,
    };
  };

  // -- layout -----------------------------------------------------------------------------------

  const GOLDEN = Math.PI * (3 - Math.sqrt(5));

  /** Positions on a spiral in breadth-first order from the best-linked nodes: neighbours start
   * near each other, hubs near the centre. `first` (or -1) takes the centre. */
  const seed = (g, first) => {
    const order = new Int32Array(g.n);
    const seen = new Uint8Array(g.n);
    const byDegree = Array.from({ length: g.n }, (_, i) => i);
    byDegree.sort((a, b) => g.degree[b] - g.degree[a] || a - b);
    if (first >= 0) byDegree.unshift(first);
    let head = 0;
    let tail = 0;
    for (const start of byDegree) {
      if (seen[start]) continue;
      seen[start] = 1;
      order[tail++] = start;
      while (head < tail) {
        const i = order[head++];
        for (let k = g.adj.start[i]; k < g.adj.start[i + 1]; k++) {
          const j = g.adj.list[k];
          if (!seen[j]) {
            seen[j] = 1;
            order[tail++] = j;
          }
        }
      }
    }
    const x = new Float64Array(g.n);
    const y = new Float64Array(g.n);
    for (let rank = 0; rank < g.n; rank++) {
      const distance = 10 * Math.sqrt(0.5 + rank);
      const angle = rank * GOLDEN;
      x[order[rank]] = distance * Math.cos(angle);
      y[order[rank]] = distance * Math.sin(angle);
    }
    return { x, y };
  };

  /** A force simulation in the manner of d3-force, on typed arrays. */
  class Simulation {
    constructor(g, x, y) {
      this.n = g.n;
      this.x = x;
      this.y = y;
      this.vx = new Float64Array(g.n);
      this.vy = new Float64Array(g.n);
      this.fixed = new Int8Array(g.n);
      this.links = g.links;
      const count = new Float64Array(g.n);
      for (let e = 0; e < g.links.length; e++) count[g.links[e]]++;
      const m = g.links.length / 2;
      this.linkStrength = new Float64Array(m);
      this.linkBias = new Float64Array(m);
      for (let l = 0; l < m; l++) {
        const a = count[g.links[2 * l]];
        const b = count[g.links[2 * l + 1]];
        this.linkStrength[l] = 1 / Math.min(a, b);
        this.linkBias[l] = a / (a + b);
      }
      this.alpha = 1;
      this.alphaMin = 0.001;
      this.alphaTarget = 0;
      // Big graphs cool in fewer ticks: each one costs more.
      const ticks = g.n > 2000 ? 160 : 300;
      this.alphaDecay = 1 - Math.pow(this.alphaMin, 1 / ticks);
      this.velocityDecay = 0.4;
      this.linkDistance = 30;
      this.charge = -30;
      this.gravity = g.current >= 0 ? 0.06 : 0.03;
      // Barnes-Hut's accuracy: d3's 0.9 for small graphs, ForceAtlas2's 1.2 for big ones
      this.theta2 = g.n > 2000 ? 1.44 : 0.81;
      this.tree = new QuadTree(g.n);
      this.random = 1;
    }

    get running() {
      return this.alpha >= this.alphaMin || this.alphaTarget > 0;
    }

    reheat(target) {
      this.alphaTarget = target;
      if (this.alpha < target) this.alpha = target;
    }

    jiggle() {
      // deterministic tiny offsets for coincident nodes
      this.random = (this.random * 16807) % 2147483647;
      return (this.random / 2147483647 - 0.5) * 1e-6;
    }

    tick() {
      const { n, x, y, vx, vy, links } = this;
      this.alpha += (this.alphaTarget - this.alpha) * this.alphaDecay;
      const alpha = this.alpha;
      // links: springs towards linkDistance
      for (let l = 0, m = links.length / 2; l < m; l++) {
        const s = links[2 * l];
        const t = links[2 * l + 1];
        let dx = x[t] + vx[t] - x[s] - vx[s] || this.jiggle();
        let dy = y[t] + vy[t] - y[s] - vy[s] || this.jiggle();
        let d = Math.sqrt(dx * dx + dy * dy);
        d = ((d - this.linkDistance) / d) * alpha * this.linkStrength[l];
        dx *= d;
        dy *= d;
        const b = this.linkBias[l];
        vx[t] -= dx * b;
        vy[t] -= dy * b;
        vx[s] += dx * (1 - b);
        vy[s] += dy * (1 - b);
      }
      // charge: Barnes-Hut repulsion
      this.tree.build(x, y, n);
      this.tree.repel(this, this.charge * alpha);
      // gravity: a weak pull towards the origin keeps loose components in view
      const pull = this.gravity * alpha;
      const keep = 1 - this.velocityDecay;
      for (let i = 0; i < n; i++) {
        if (this.fixed[i]) {
          vx[i] = 0;
          vy[i] = 0;
          continue;
        }
        vx[i] = (vx[i] - x[i] * pull) * keep;
        vy[i] = (vy[i] - y[i] * pull) * keep;
        x[i] += vx[i];
        y[i] += vy[i];
      }
    }
  }

  const MAX_DEPTH = 40;

  /** A Barnes-Hut quadtree in flat arrays, rebuilt on every tick. */
  class QuadTree {
    constructor(n) {
      this.next = new Int32Array(Math.max(n, 1)); // chains of points sharing a leaf
      this.order = new Int32Array(Math.max(n, 1));
      this.stack = new Int32Array(4 * MAX_DEPTH + 8);
      this.grow(Math.max(16, 2 * n));
    }

    grow(capacity) {
      const copy = (Type, old, size) => {
        const array = new Type(size);
        if (old) array.set(old);
        return array;
      };
      this.capacity = capacity;
      this.child = copy(Int32Array, this.child, capacity * 4);
      this.point = copy(Int32Array, this.point, capacity);
      this.leaf = copy(Uint8Array, this.leaf, capacity);
      this.size = copy(Float64Array, this.size, capacity);
      this.mass = copy(Float64Array, this.mass, capacity);
      this.cx = copy(Float64Array, this.cx, capacity);
      this.cy = copy(Float64Array, this.cy, capacity);
    }

    node(size, point) {
      if (this.count === this.capacity) this.grow(this.capacity * 2);
      const k = this.count++;
      this.child.fill(-1, k * 4, k * 4 + 4);
      this.point[k] = point;
      this.leaf[k] = 1;
      this.size[k] = size;
      return k;
    }

    build(x, y, n) {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (let i = 0; i < n; i++) {
        if (x[i] < x0) x0 = x[i];
        if (x[i] > x1) x1 = x[i];
        if (y[i] < y0) y0 = y[i];
        if (y[i] > y1) y1 = y[i];
      }
      const size = Math.max(x1 - x0, y1 - y0, 1) * 1.0001;
      this.count = 0;
      this.node(size, -1);
      const next = this.next;
      for (let i = 0; i < n; i++) {
        const px = x[i];
        const py = y[i];
        let k = 0;
        let nx = x0;
        let ny = y0;
        let s = size;
        let depth = 0;
        for (;;) {
          if (!this.leaf[k]) {
            s /= 2;
            let q = 0;
            if (px >= nx + s) {
              q |= 1;
              nx += s;
            }
            if (py >= ny + s) {
              q |= 2;
              ny += s;
            }
            depth++;
            const c = this.child[k * 4 + q];
            if (c < 0) {
              this.child[k * 4 + q] = this.node(s, i);
              next[i] = -1;
              break;
            }
            k = c;
            continue;
          }
          const p = this.point[k];
          if (p < 0) {
            this.point[k] = i;
            next[i] = -1;
            break;
          }
          if (depth >= MAX_DEPTH || (x[p] === px && y[p] === py)) {
            next[i] = p;
            this.point[k] = i;
            break;
          }
          // split the leaf: its points (all at one place) move down one level
          this.leaf[k] = 0;
          this.point[k] = -1;
          const h = s / 2;
          const q = (x[p] >= nx + h ? 1 : 0) | (y[p] >= ny + h ? 2 : 0);
          this.child[k * 4 + q] = this.node(h, p);
        }
      }
      // centres of mass, children before parents (they were made after them)
      for (let k = this.count - 1; k >= 0; k--) {
        let m = 0;
        let sx = 0;
        let sy = 0;
        if (this.leaf[k]) {
          for (let p = this.point[k]; p >= 0; p = next[p]) {
            m++;
            sx += x[p];
            sy += y[p];
          }
        } else {
          for (let q = 0; q < 4; q++) {
            const c = this.child[k * 4 + q];
            if (c >= 0 && this.mass[c] > 0) {
              m += this.mass[c];
              sx += this.cx[c] * this.mass[c];
              sy += this.cy[c] * this.mass[c];
            }
          }
        }
        this.mass[k] = m;
        this.cx[k] = m ? sx / m : 0;
        this.cy[k] = m ? sy / m : 0;
      }
    }

    repel(sim, strength) {
      const { x, y, vx, vy, n, theta2 } = sim;
      const { stack, next, child, leaf, size, mass, cx, cy, order } = this;
      // Points in tree order: one after the other, they walk the same part of the tree (a
      // third faster than in index order, the cache being warm).
      let count = 0;
      let top = 0;
      stack[top++] = 0;
      while (top) {
        const k = stack[--top];
        if (leaf[k]) {
          for (let p = this.point[k]; p >= 0; p = next[p]) order[count++] = p;
          continue;
        }
        for (let q = 3; q >= 0; q--) {
          const c = child[k * 4 + q];
          if (c >= 0) stack[top++] = c;
        }
      }
      for (let o = 0; o < count; o++) {
        const i = order[o];
        const xi = x[i];
        const yi = y[i];
        let fx = 0;
        let fy = 0;
        top = 0;
        stack[top++] = 0;
        while (top) {
          const k = stack[--top];
          if (!mass[k]) continue;
          if (!leaf[k]) {
            const dx = cx[k] - xi;
            const dy = cy[k] - yi;
            let d2 = dx * dx + dy * dy;
            if (size[k] * size[k] < theta2 * d2) {
              if (d2 < 1) d2 = Math.sqrt(d2);
              const w = (strength * mass[k]) / d2;
              fx += dx * w;
              fy += dy * w;
            } else {
              for (let q = 0; q < 4; q++) {
                const c = child[k * 4 + q];
                if (c >= 0) stack[top++] = c;
              }
            }
            continue;
          }
          for (let p = this.point[k]; p >= 0; p = next[p]) {
            if (p === i) continue;
            let dx = x[p] - xi;
            let dy = y[p] - yi;
            if (dx === 0) dx = sim.jiggle();
            if (dy === 0) dy = sim.jiggle();
            let d2 = dx * dx + dy * dy;
            if (d2 < 1) d2 = Math.sqrt(d2);
            const w = strength / d2;
            fx += dx * w;
            fy += dy * w;
          }
        }
        vx[i] += fx;
        vy[i] += fy;
      }
    }
  }

  // -- colours ----------------------------------------------------------------------------------

  let probe = null;

  /** [r, g, b] of any CSS colour (via a 1x1 canvas), or null if the browser cannot parse it. */
  const rgb = (colour) => {
    if (!probe) {
      probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    }
    if (!probe) return null;
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = "transparent"; // kept when `colour` does not parse
    probe.fillStyle = colour;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
    return a ? [r, g, b] : null;
  };

  const palette = (element, groupNames) => {
    const style = getComputedStyle(element);
    const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    const bg = read("--md-default-bg-color", "#fff");
    const back = rgb(bg) || [255, 255, 255];
    const dark = 0.2126 * back[0] + 0.7152 * back[1] + 0.0722 * back[2] < 128;
    // material's own values, for pages without its variables
    const ink = (alpha) => (dark ? `rgba(255,255,255,${alpha})` : `rgba(0,0,0,${alpha})`);
    const fg = read("--md-default-fg-color", ink(0.87));
    const light = read("--md-default-fg-color--light", ink(0.54));
    const lighter = read("--md-default-fg-color--lighter", ink(0.32));
    const accent = read("--md-accent-fg-color", "#526cfe");
    const groups = groupNames.map((name, g) => {
      if (name === "") return light;
      if (name === "tag") return `hsl(150, 45%, ${dark ? 62 : 40}%)`;
      const hue = Math.round((205 + g * 137.508) % 360);
      return `hsl(${hue}, 55%, ${dark ? 66 : 46}%)`;
    });
    const font = style.fontFamily || "sans-serif";
    return { bg, fg, light, link: lighter, accent, groups, font };
  };

  // -- a graph on a page ------------------------------------------------------------------------

  const views = new Set();
  const viewOf = new WeakMap();

  const MIN_SCALE = 0.005;
  const MAX_SCALE = 16;
  const LABELS = 250;
  const CLICK_SLOP = 5;
  /** Time for ticks before the first frame, in ms. */
  const PRESETTLE_MS = 30;
  /** Time and count of ticks per animation frame: motion stays visible, input responsive. */
  const FRAME_MS = 12;
  const TICKS_PER_FRAME = 4;
  /** Links drawn per frame while the graph moves (layout, pan, zoom, hover): rasterising 80,000
   * lines costs Chromium's software canvas some 150 ms, too long to follow the pointer. Once
   * still for DETAIL_MS, every link is drawn. */
  const LINK_BUDGET = 12000;
  const DETAIL_MS = 180;
  /** Items added to the hidden list of notes per task. */
  const LIST_CHUNK = 500;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  const NODE_ZOOM = 2;
  const radius = (degree) => Math.min(3 + 1.2 * Math.sqrt(degree), 20);

  class GraphView {
    constructor(container) {
      this.container = container;
      this.local = container.classList.contains("ns-graph--local");
      this.t0 = started ? performance.now() : T0;
      this.raf = 0;
      this.disposers = [];
      this.g = null;
      this.sim = null;
      this.k = 1;
      this.tx = 0;
      this.ty = 0;
      this.autoFit = true;
      this.hover = -1;
      this.selected = -1;
      this.marked = null; // the focus node and its neighbours, while one is in focus
      this.pointers = new Map();
      this.gesture = null;
      this.drawn = false;
      this.detailTimer = 0; // while set, the graph is moving: draw fewer links
      this.listTimer = 0;
      this.byTitle = null;
    }

    // lifecycle

    start() {
      const href = this.container.dataset.graphUrl;
      if (!href) return;
      const url = new URL(href, document.baseURI).href;
      const go = () =>
        load(url).then(
          (data) => this.show(data),
          (error) => this.fail(error),
        );
      if (!this.local || typeof IntersectionObserver !== "function") {
        go();
        return;
      }
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            observer.disconnect();
            go();
          }
        },
        { rootMargin: "200px" },
      );
      observer.observe(this.container);
      this.disposers.push(() => observer.disconnect());
    }

    destroy() {
      if (this.raf) cancelAnimationFrame(this.raf);
      this.raf = 0;
      clearTimeout(this.detailTimer);
      clearTimeout(this.listTimer);
      for (const dispose of this.disposers) dispose();
      this.disposers = [];
      views.delete(this);
    }

    fail(error) {
      if (!this.container.isConnected) return;
      this.container.dataset.nsGraphError = String(error && error.message ? error.message : error);
      const note = document.createElement("p");
      note.className = "ns-graph__empty";
      note.textContent = "The graph could not be loaded.";
      this.container.textContent = "";
      this.container.append(note);
    }

    show(data) {
      if (!this.container.isConnected || this.g) return;
      let current = null;
      if (this.local) current = this.container.dataset.current || "";
      const depth = Math.min(Math.max(parseInt(this.container.dataset.depth, 10) || 1, 1), 5);
      const g = subgraph(data, current, depth);
      if (!g || !g.n) {
        // this page is not in the graph, or the graph is empty: nothing to draw
        this.container.dataset.nsGraphNodes = "0";
        this.container.dataset.nsGraphReady = String(Math.round(performance.now() - this.t0));
        this.container.hidden = true;
        return;
      }
      this.g = g;
      this.build();
      const { x, y } = seed(g, g.current);
      this.sim = new Simulation(g, x, y);
      this.byGroup = g.groupNames.map(() => []);
      for (let i = 0; i < g.n; i++) this.byGroup[g.groups[i]].push(i);
      this.order = Array.from({ length: g.n }, (_, i) => i).sort(
        (a, b) => g.degree[b] - g.degree[a] || a - b,
      );
      this.radii = Float64Array.from(g.degree, radius);
      this.colours = palette(this.container, g.groupNames);
      this.resize();
      // Small graphs settle before their first frame; big ones start at once and settle live.
      const budget = performance.now() + PRESETTLE_MS;
      while (g.n <= 2000 && this.sim.running && performance.now() < budget) this.sim.tick();
      this.fit();
      this.frame(true);
      this.buildList(); // after the first frame: the list is not what one waits for
    }

    build() {
      const c = this.container;
      const g = this.g;
      c.textContent = "";
      const canvas = document.createElement("canvas");
      canvas.className = "ns-graph__canvas";
      canvas.tabIndex = 0;
      canvas.setAttribute("role", "application");
      canvas.setAttribute("aria-roledescription", "graph");
      const what = this.local ? "Graph of this note's links" : "Graph of all notes";
      canvas.setAttribute(
        "aria-label",
        `${what}: ${g.n} node${g.n === 1 ? "" : "s"}, ${g.links.length / 2} link${
          g.links.length === 2 ? "" : "s"
        }. Arrow keys move between nodes, Enter opens one, plus and minus zoom, 0 fits the view.`,
      );
      const tooltip = document.createElement("div");
      tooltip.className = "ns-graph__tooltip";
      tooltip.setAttribute("aria-hidden", "true");
      tooltip.hidden = true;
      const status = document.createElement("div");
      status.className = "ns-graph__status";
      status.setAttribute("role", "status");
      c.append(canvas, tooltip, status);
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d", { alpha: true });
      this.tooltip = tooltip;
      this.status = status;
      this.listen();
    }

    /** The keyboard's and the list's order: the note itself first, then by title. */
    get keyOrder() {
      if (!this.byTitle) {
        const g = this.g;
        this.byTitle = Array.from({ length: g.n }, (_, i) => i).sort((a, b) =>
          a === g.current
            ? -1
            : b === g.current
              ? 1
              : collator.compare(g.titles[a], g.titles[b]) || a - b,
        );
      }
      return this.byTitle;
    }

    buildList() {
      const g = this.g;
      if (!g || !this.container.isConnected) return;
      const root = new URL(g.root);
      const nav = document.createElement("nav");
      nav.className = "ns-graph__nav";
      nav.setAttribute("aria-label", this.local ? "Notes linked with this note" : "All notes");
      const list = document.createElement("ul");
      list.className = "ns-graph__list";
      // With hundreds of links, tabbing through them all would trap the keyboard: the canvas
      // is the keyboard's way through big graphs, the list is there for screen readers.
      const tabbable = g.n <= 300;
      nav.append(list);
      this.container.append(nav);
      // Made a few hundred items at a time: 10,000 at once would block the page for a second.
      let at = 0;
      const chunk = () => {
        this.listTimer = 0;
        if (!this.container.isConnected) return;
        const order = this.keyOrder;
        const items = document.createDocumentFragment();
        for (const end = Math.min(at + LIST_CHUNK, order.length); at < end; at++) {
          const i = order[at];
          if (!g.urls[i] && g.groupNames[g.groups[i]] === "tag") continue;
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = new URL(g.urls[i], root).href;
          link.textContent = g.titles[i];
          if (i === g.current) link.setAttribute("aria-current", "page");
          if (!tabbable) link.tabIndex = -1;
          item.append(link);
          items.append(item);
        }
        list.append(items);
        if (at < order.length) this.listTimer = setTimeout(chunk, 0);
      };
      if (g.n > LIST_CHUNK) this.listTimer = setTimeout(chunk, 0);
      else chunk();
    }

    on(target, type, handler, options) {
      target.addEventListener(type, handler, options);
      this.disposers.push(() => target.removeEventListener(type, handler, options));
    }

    listen() {
      const canvas = this.canvas;
      this.on(canvas, "pointerdown", (e) => this.pointerDown(e));
      this.on(canvas, "pointermove", (e) => this.pointerMove(e));
      this.on(canvas, "pointerup", (e) => this.pointerUp(e));
      this.on(canvas, "pointercancel", (e) => this.pointerUp(e, true));
      this.on(canvas, "pointerleave", (e) => {
        if (e.pointerType === "mouse" && !this.pointers.size) this.setHover(-1);
      });
      this.on(canvas, "wheel", (e) => this.wheel(e), { passive: false });
      this.on(canvas, "keydown", (e) => this.key(e));
      this.on(canvas, "blur", () => this.select(-1));
      if (typeof ResizeObserver === "function") {
        const observer = new ResizeObserver(() => {
          if (this.resize()) {
            if (this.autoFit) this.fit();
            this.invalidate();
          }
        });
        observer.observe(this.container);
        this.disposers.push(() => observer.disconnect());
      }
    }

    // geometry

    resize() {
      const rect = this.canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(rect.width));
      const height = Math.max(1, Math.round(rect.height));
      if (width === this.width && height === this.height && dpr === this.dpr) return false;
      this.width = width;
      this.height = height;
      this.dpr = dpr;
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      return true;
    }

    fit() {
      const { x, y } = this.sim;
      const n = this.g.n;
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (let i = 0; i < n; i++) {
        const r = this.radii[i];
        if (x[i] - r < x0) x0 = x[i] - r;
        if (x[i] + r > x1) x1 = x[i] + r;
        if (y[i] - r < y0) y0 = y[i] - r;
        if (y[i] + r > y1) y1 = y[i] + r;
      }
      const pad = this.local ? 24 : 16;
      const w = Math.max(x1 - x0, 1);
      const h = Math.max(y1 - y0, 1);
      const most = this.local ? 3 : 4; // a few nodes are not blown up to fill the box
      const k = Math.min((this.width - 2 * pad) / w, (this.height - 2 * pad) / h, most);
      this.k = Math.min(Math.max(k, MIN_SCALE), MAX_SCALE);
      this.tx = this.width / 2 - ((x0 + x1) / 2) * this.k;
      this.ty = this.height / 2 - ((y0 + y1) / 2) * this.k;
    }

    /** The node under a point of the canvas (CSS pixels), or -1. */
    nodeAtPoint(px, py) {
      const { x, y } = this.sim;
      const wx = (px - this.tx) / this.k;
      const wy = (py - this.ty) / this.k;
      const slop = 4 / this.k;
      let best = -1;
      let bestD = Infinity;
      for (let i = 0; i < this.g.n; i++) {
        const dx = x[i] - wx;
        const dy = y[i] - wy;
        const d = dx * dx + dy * dy;
        const r = this.radii[i] * this.nodeScale + slop;
        if (d <= r * r && d < bestD) {
          best = i;
          bestD = d;
        }
      }
      return best;
    }

    /** Nodes grow with the zoom up to NODE_ZOOM, then keep their size on screen. */
    get nodeScale() {
      return Math.min(1, NODE_ZOOM / this.k);
    }

    screenOf(i) {
      return { x: this.sim.x[i] * this.k + this.tx, y: this.sim.y[i] * this.k + this.ty };
    }

    zoomAt(px, py, k) {
      const next = Math.min(Math.max(k, MIN_SCALE), MAX_SCALE);
      this.tx = px - ((px - this.tx) / this.k) * next;
      this.ty = py - ((py - this.ty) / this.k) * next;
      this.k = next;
      this.autoFit = false;
      this.invalidate();
    }

    // input

    point(e) {
      const rect = this.canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    }

    pointerDown(e) {
      if (e.pointerType === "mouse" && e.button !== 0) return;
      const p = this.point(e);
      this.pointers.set(e.pointerId, p);
      try {
        this.canvas.setPointerCapture(e.pointerId);
      } catch (error) {
        // the pointer is already gone
      }
      if (this.pointers.size === 2) {
        const [a, b] = Array.from(this.pointers.values());
        this.releaseDrag();
        this.gesture = {
          kind: "pinch",
          distance: Math.hypot(a.x - b.x, a.y - b.y) || 1,
          k: this.k,
          wx: ((a.x + b.x) / 2 - this.tx) / this.k,
          wy: ((a.y + b.y) / 2 - this.ty) / this.k,
        };
        this.autoFit = false;
        return;
      }
      if (this.pointers.size > 2) return;
      const node = this.nodeAtPoint(p.x, p.y);
      this.gesture = {
        kind: node >= 0 ? "node" : "pan",
        node,
        start: p,
        moved: false,
        tx: this.tx,
        ty: this.ty,
      };
      if (node >= 0) this.setHover(node);
      this.canvas.classList.add("is-dragging");
    }

    pointerMove(e) {
      const p = this.point(e);
      if (!this.pointers.has(e.pointerId)) {
        if (e.pointerType === "mouse") this.setHover(this.nodeAtPoint(p.x, p.y));
        return;
      }
      this.pointers.set(e.pointerId, p);
      const gesture = this.gesture;
      if (!gesture) return;
      if (gesture.kind === "pinch") {
        const [a, b] = Array.from(this.pointers.values());
        const k = gesture.k * ((Math.hypot(a.x - b.x, a.y - b.y) || 1) / gesture.distance);
        this.k = Math.min(Math.max(k, MIN_SCALE), MAX_SCALE);
        this.tx = (a.x + b.x) / 2 - gesture.wx * this.k;
        this.ty = (a.y + b.y) / 2 - gesture.wy * this.k;
        this.invalidate();
        return;
      }
      if (!gesture.moved && Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) < CLICK_SLOP) {
        return;
      }
      gesture.moved = true;
      if (gesture.kind === "pan") {
        this.autoFit = false;
        this.tx = gesture.tx + p.x - gesture.start.x;
        this.ty = gesture.ty + p.y - gesture.start.y;
        this.invalidate();
      } else {
        const sim = this.sim;
        const i = gesture.node;
        sim.fixed[i] = 1;
        sim.x[i] = (p.x - this.tx) / this.k;
        sim.y[i] = (p.y - this.ty) / this.k;
        this.autoFit = false;
        sim.reheat(0.3);
        this.invalidate();
      }
    }

    pointerUp(e, cancelled) {
      if (!this.pointers.has(e.pointerId)) return;
      this.pointers.delete(e.pointerId);
      const gesture = this.gesture;
      this.canvas.classList.remove("is-dragging");
      if (!gesture || this.pointers.size) {
        // a pinch ends when either finger lifts
        if (!this.pointers.size || (gesture && gesture.kind === "pinch")) this.gesture = null;
        return;
      }
      this.gesture = null;
      if (gesture.kind === "node") {
        this.releaseDrag(gesture);
        if (!gesture.moved && !cancelled) this.open(gesture.node);
      }
      if (e.pointerType !== "mouse") this.setHover(-1);
    }

    releaseDrag(gesture = this.gesture) {
      if (gesture && gesture.kind === "node" && gesture.moved) {
        this.sim.fixed[gesture.node] = 0;
        this.sim.alphaTarget = 0;
        this.invalidate();
      }
    }

    wheel(e) {
      // A local graph sits in the text: the wheel scrolls the page over it, unless the graph
      // has focus (a click gives it) or ctrl is down (a trackpad's pinch is a ctrl+wheel).
      if (this.local && !e.ctrlKey && !e.metaKey && document.activeElement !== this.canvas) return;
      e.preventDefault();
      const p = this.point(e);
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.height : 1;
      this.zoomAt(p.x, p.y, this.k * Math.exp(-e.deltaY * unit * 0.002));
    }

    key(e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const step = 60; // px
      const order = this.keyOrder;
      const at = this.selected >= 0 ? order.indexOf(this.selected) : -1;
      const pan = (dx, dy) => {
        this.tx += dx;
        this.ty += dy;
        this.autoFit = false;
        this.invalidate();
      };
      switch (e.key) {
        case "ArrowRight":
        case "ArrowDown":
        case "ArrowLeft":
        case "ArrowUp": {
          const key = e.key;
          if (e.shiftKey) {
            const dx = key === "ArrowLeft" ? step : key === "ArrowRight" ? -step : 0;
            pan(dx, key === "ArrowUp" ? step : key === "ArrowDown" ? -step : 0);
          } else {
            const forward = key === "ArrowRight" || key === "ArrowDown";
            const n = order.length;
            this.select(order[at < 0 ? (forward ? 0 : n - 1) : (at + (forward ? 1 : n - 1)) % n]);
          }
          break;
        }
        case "Enter":
          if (this.selected < 0) return;
          this.open(this.selected);
          break;
        case "+":
        case "=":
          this.zoomAt(this.width / 2, this.height / 2, this.k * 1.25);
          break;
        case "-":
        case "_":
          this.zoomAt(this.width / 2, this.height / 2, this.k / 1.25);
          break;
        case "0":
        case "Home":
          this.autoFit = true;
          this.fit();
          this.invalidate();
          break;
        case "Escape":
          if (this.selected < 0) return;
          this.select(-1);
          break;
        default:
          return;
      }
      e.preventDefault();
    }

    select(i) {
      if (i === this.selected) return;
      this.selected = i;
      if (i >= 0) {
        const s = this.screenOf(i);
        const margin = 30;
        const { width, height } = this;
        if (s.x < margin || s.y < margin || s.x > width - margin || s.y > height - margin) {
          this.tx += this.width / 2 - s.x;
          this.ty += this.height / 2 - s.y;
          this.autoFit = false;
        }
        const links = this.g.adj.start[i + 1] - this.g.adj.start[i];
        this.status.textContent = `${this.g.titles[i]}, ${links} link${links === 1 ? "" : "s"}`;
      } else {
        this.status.textContent = "";
      }
      this.refocus();
    }

    setHover(i) {
      if (i === this.hover) return;
      this.hover = i;
      this.canvas.classList.toggle("is-over-node", i >= 0);
      this.refocus();
    }

    /** The node in focus: hovered, else selected with the keyboard. */
    get focus() {
      return this.hover >= 0 ? this.hover : this.selected;
    }

    refocus() {
      const i = this.focus;
      if (i >= 0) {
        const g = this.g;
        const marked = new Uint8Array(g.n);
        marked[i] = 1;
        for (let k = g.adj.start[i]; k < g.adj.start[i + 1]; k++) marked[g.adj.list[k]] = 1;
        this.marked = marked;
      } else {
        this.marked = null;
      }
      this.invalidate();
    }

    open(i) {
      const url = this.g.urls[i];
      if (!url && this.g.groupNames[this.g.groups[i]] === "tag") return;
      window.location.href = new URL(url, this.g.root).href;
    }

    // drawing

    /** Draw a frame soon; `still`: the graph has stopped moving, draw it in full. */
    invalidate(still) {
      if (!this.g) return;
      if (!still && this.g.links.length / 2 > LINK_BUDGET) {
        clearTimeout(this.detailTimer);
        this.detailTimer = setTimeout(() => {
          this.detailTimer = 0;
          this.invalidate(true);
        }, DETAIL_MS);
      }
      if (!this.raf) this.raf = requestAnimationFrame(() => this.frame(false));
    }

    frame(first) {
      this.raf = 0;
      if (!this.container.isConnected) {
        this.destroy();
        return;
      }
      const sim = this.sim;
      if (!first && sim.running) {
        const budget = performance.now() + FRAME_MS;
        let ticks = 0;
        do sim.tick();
        while (sim.running && ++ticks < TICKS_PER_FRAME && performance.now() < budget);
      }
      if (sim.running) delete this.container.dataset.nsGraphSettled;
      else this.container.dataset.nsGraphSettled = "";
      if (this.autoFit) this.fit();
      this.draw();
      if (!this.drawn) {
        this.drawn = true;
        this.container.dataset.nsGraphNodes = String(this.g.n);
        this.container.dataset.nsGraphReady = String(Math.round(performance.now() - this.t0));
      }
      if (sim.running) this.invalidate();
    }

    draw() {
      const { ctx, g, sim, k, tx, ty, dpr, marked, colours } = this;
      const { x, y } = sim;
      const focus = this.focus;
      const grow = this.nodeScale;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
      // the world rectangle in view, for culling
      const vx0 = -tx / k;
      const vy0 = -ty / k;
      const vx1 = (this.width - tx) / k;
      const vy1 = (this.height - ty) / k;
      const outcode = (px, py) =>
        (px < vx0 ? 1 : px > vx1 ? 2 : 0) | (py < vy0 ? 4 : py > vy1 ? 8 : 0);

      // links: while moving, a fixed sample of those in view (every step-th)
      const links = g.links;
      let step = 1;
      if ((sim.running || this.detailTimer) && links.length / 2 > LINK_BUDGET) {
        let visible = 0;
        for (let e = 0; e < links.length; e += 2) {
          if (!(outcode(x[links[e]], y[links[e]]) & outcode(x[links[e + 1]], y[links[e + 1]]))) {
            visible++;
          }
        }
        step = Math.ceil(visible / LINK_BUDGET);
      }
      ctx.lineWidth = (g.n > 2000 ? 0.6 : 1) / k;
      ctx.strokeStyle = colours.link;
      // thousands of overlapping links would make one black blot: the more, the fainter
      const faint = Math.min(1, Math.sqrt(LINK_BUDGET / 4 / (links.length / 2)) * Math.sqrt(step));
      ctx.globalAlpha = faint * (marked ? 0.35 : 1);
      ctx.beginPath();
      for (let e = 0; e < links.length; e += 2 * step) {
        const a = links[e];
        const b = links[e + 1];
        if (outcode(x[a], y[a]) & outcode(x[b], y[b])) continue;
        ctx.moveTo(x[a], y[a]);
        ctx.lineTo(x[b], y[b]);
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
      if (focus >= 0) {
        ctx.strokeStyle = colours.accent;
        ctx.lineWidth = 1.5 / k;
        ctx.beginPath();
        for (let j = g.adj.start[focus]; j < g.adj.start[focus + 1]; j++) {
          const b = g.adj.list[j];
          ctx.moveTo(x[focus], y[focus]);
          ctx.lineTo(x[b], y[b]);
        }
        ctx.stroke();
      }

      // nodes, one path per colour (faded ones first when a node is in focus)
      const tiny = 2 / k; // below 2 px, a square looks the same as a disc and costs less
      const passes = marked ? [0, 1] : [1];
      for (const pass of passes) {
        ctx.globalAlpha = marked && pass === 0 ? 0.25 : 1;
        for (let group = 0; group < this.byGroup.length; group++) {
          const members = this.byGroup[group];
          if (!members.length) continue;
          ctx.fillStyle = colours.groups[group];
          ctx.beginPath();
          for (const i of members) {
            if (marked && (marked[i] === 1) !== (pass === 1)) continue;
            const r = this.radii[i] * grow;
            const px = x[i];
            const py = y[i];
            if (px + r < vx0 || px - r > vx1 || py + r < vy0 || py - r > vy1) continue;
            if (r < tiny) {
              ctx.rect(px - r, py - r, 2 * r, 2 * r);
            } else {
              ctx.moveTo(px + r, py);
              ctx.arc(px, py, r, 0, 2 * Math.PI);
            }
          }
          ctx.fill();
        }
      }
      ctx.globalAlpha = 1;
      const ring = (i, colour, width) => {
        ctx.strokeStyle = colour;
        ctx.lineWidth = width / k;
        ctx.beginPath();
        ctx.arc(x[i], y[i], this.radii[i] * grow + width / k, 0, 2 * Math.PI);
        ctx.stroke();
      };
      if (g.current >= 0) {
        ctx.fillStyle = colours.accent;
        ctx.beginPath();
        ctx.arc(x[g.current], y[g.current], this.radii[g.current] * grow, 0, 2 * Math.PI);
        ctx.fill();
      }
      if (focus >= 0) ring(focus, colours.accent, 2);
      if (this.selected >= 0 && this.selected !== focus) ring(this.selected, colours.fg, 1.5);

      this.drawLabels(vx0, vy0, vx1, vy1);
      this.placeTooltip();
    }

    /** Titles under the nodes: all of them in a small graph, else those big enough on screen,
     * best-linked first (the focus's neighbours before all), never two on top of each other. */
    drawLabels(vx0, vy0, vx1, vy1) {
      const { ctx, g, sim, k, dpr, marked, colours } = this;
      const focus = this.focus;
      const all = g.n <= 60;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const size = all ? 11 : 12;
      ctx.font = `${size}px ${colours.font}`;
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      ctx.lineWidth = 3;
      ctx.strokeStyle = colours.bg;
      const placed = [];
      const free = (x0, y0, x1, y1) => {
        for (let p = 0; p < placed.length; p += 4) {
          if (x0 < placed[p + 2] && x1 > placed[p] && y0 < placed[p + 3] && y1 > placed[p + 1]) {
            return false;
          }
        }
        return true;
      };
      for (const pass of marked ? [1, 0] : [0]) {
        for (const i of this.order) {
          if (placed.length >= 4 * LABELS) break;
          // the focus has the tooltip
          if (i === focus || (marked && marked[i] !== pass)) continue;
          const r = this.radii[i] * this.nodeScale;
          if (!all && !pass && r * k < 6) continue;
          const px = sim.x[i];
          const py = sim.y[i];
          if (px < vx0 || px > vx1 || py < vy0 || py > vy1) continue;
          const title = g.titles[i];
          const text = title.length > 40 ? `${title.slice(0, 39)}…` : title;
          const sx = px * k + this.tx;
          const sy = py * k + this.ty + r * k + 2;
          const half = ctx.measureText(text).width / 2;
          if (!free(sx - half, sy, sx + half, sy + size)) continue;
          placed.push(sx - half, sy, sx + half, sy + size);
          ctx.globalAlpha = marked && !pass ? 0.3 : 1;
          ctx.fillStyle = i === g.current ? colours.fg : colours.light;
          ctx.strokeText(text, sx, sy);
          ctx.fillText(text, sx, sy);
        }
      }
      ctx.globalAlpha = 1;
    }

    placeTooltip() {
      const i = this.focus;
      const tooltip = this.tooltip;
      if (i < 0) {
        tooltip.hidden = true;
        return;
      }
      const s = this.screenOf(i);
      if (tooltip.textContent !== this.g.titles[i]) tooltip.textContent = this.g.titles[i];
      tooltip.style.left = `${s.x}px`;
      tooltip.style.top = `${s.y - this.radii[i] * this.nodeScale * this.k}px`;
      tooltip.hidden = false;
    }

    recolour() {
      if (!this.g) return;
      this.colours = palette(this.container, this.g.groupNames);
      this.invalidate();
    }
  }

  // -- pages ------------------------------------------------------------------------------------

  const init = (root) => {
    for (const view of Array.from(views)) {
      if (!view.container.isConnected) view.destroy();
    }
    for (const container of (root || document).querySelectorAll(".ns-graph")) {
      if (viewOf.has(container)) continue;
      const view = new GraphView(container);
      viewOf.set(container, view);
      views.add(view);
      view.start();
    }
    started = true;
  };

  // Palette toggles set these on <body>: colours are read again from the CSS variables.
  const watchPalette = () => {
    if (typeof MutationObserver !== "function" || !document.body) return;
    new MutationObserver(() => {
      for (const view of views) view.recolour();
    }).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"],
    });
  };

  window.notesiteGraph = {
    init,
    /** Client coordinates of the node titled `title` in `container`'s graph, or null. */
    nodeAt(container, title) {
      const view = viewOf.get(container);
      if (!view || !view.g) return null;
      const i = view.g.titles.indexOf(title);
      if (i < 0) return null;
      const rect = view.canvas.getBoundingClientRect();
      const s = view.screenOf(i);
      return { x: rect.left + s.x, y: rect.top + s.y };
    },
  };

  const boot = () => {
    watchPalette();
    // mkdocs-material's instant navigation swaps pages without reloading scripts: document$
    // emits each new page (and replays the current one).
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(() => init(document));
    } else {
      init(document);
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot, { once: true });
  } else {
    boot();
  }
})();

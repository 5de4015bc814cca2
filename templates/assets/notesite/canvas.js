/* notesite: pan and zoom on canvases (see canvas.css). Loaded on pages that hold one.

   The canvas is readable without this script (its viewport scrolls); with it, the board is
   moved and scaled by a CSS transform: drag (mouse, pen or one finger) pans, two fingers pinch,
   the wheel with Ctrl or a trackpad's pinch zooms at the pointer, the wheel alone pans on a
   canvas's page (and scrolls the page past an embedded one), and buttons zoom and fit. */
(function () {
  "use strict";

  var MIN = 0.1, MAX = 4, STEP = 1.2, DRAG = 4;

  function mount(root) {
    if (root.dataset.nsCanvasReady) return;
    root.dataset.nsCanvasReady = "1";
    var board = root.querySelector(".ns-canvas__board");
    if (!board) return;
    var embedded = root.classList.contains("ns-canvas--embed");
    var view = { x: 0, y: 0, k: 1 };
    root.classList.add("ns-canvas--js");

    function apply() {
      board.style.transform =
        "translate(" + view.x + "px," + view.y + "px) scale(" + view.k + ")";
      root.dataset.zoom = view.k.toFixed(3);
    }

    function zoomAt(factor, px, py) {
      var k = Math.min(MAX, Math.max(MIN, view.k * factor));
      view.x = px - (px - view.x) * (k / view.k);
      view.y = py - (py - view.y) * (k / view.k);
      view.k = k;
      apply();
    }

    function fit() {
      var width = board.offsetWidth, height = board.offsetHeight;
      var k = Math.min(root.clientWidth / width, root.clientHeight / height, 1);
      view.k = Math.max(MIN, k);
      view.x = (root.clientWidth - width * view.k) / 2;
      view.y = (root.clientHeight - height * view.k) / 2;
      apply();
    }

    function button(label, title, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = title;
      b.setAttribute("aria-label", title);
      b.className = "ns-canvas__" + action.name;
      b.addEventListener("click", function (event) { event.stopPropagation(); action(); });
      return b;
    }

    function center() {
      return [root.clientWidth / 2, root.clientHeight / 2];
    }
    function zoomIn() { var c = center(); zoomAt(STEP, c[0], c[1]); }
    function zoomOut() { var c = center(); zoomAt(1 / STEP, c[0], c[1]); }

    var controls = document.createElement("div");
    controls.className = "ns-canvas__controls";
    controls.append(
      button("+", "Zoom in", zoomIn),
      button("\u2212", "Zoom out", zoomOut),
      button("\u2922", "Fit the canvas", fit)
    );
    root.appendChild(controls);

    function local(event) {
      var rect = root.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    }

    root.addEventListener("wheel", function (event) {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        var p = local(event);
        zoomAt(Math.exp(-event.deltaY * 0.01), p[0], p[1]);
      } else if (!embedded) {
        event.preventDefault();
        view.x -= event.deltaX;
        view.y -= event.deltaY;
        apply();
      }
    }, { passive: false });

    // Pointers down: one pans, two pinch. A press that moved is a drag, not a click.
    var pointers = new Map();
    var moved = false, pinch = null;

    root.addEventListener("pointerdown", function (event) {
      if (event.target.closest(".ns-canvas__controls")) return;
      if (event.pointerType === "mouse" && event.button !== 0) return;
      pointers.set(event.pointerId, local(event));
      if (pointers.size === 1) moved = false;
      if (pointers.size === 2) pinch = pinchOf(pointers);
    });

    function pinchOf(down) {
      var both = Array.from(down.values());
      return {
        distance: Math.hypot(both[0][0] - both[1][0], both[0][1] - both[1][1]) || 1,
        mid: [(both[0][0] + both[1][0]) / 2, (both[0][1] + both[1][1]) / 2]
      };
    }

    root.addEventListener("pointermove", function (event) {
      var last = pointers.get(event.pointerId);
      if (!last) return;
      var now = local(event);
      if (pointers.size === 1) {
        var dx = now[0] - last[0], dy = now[1] - last[1];
        if (!moved && Math.abs(dx) + Math.abs(dy) < DRAG) return;
        if (!moved) {
          moved = true;
          root.setPointerCapture(event.pointerId);
          root.classList.add("ns-canvas--dragging");
        }
        view.x += dx;
        view.y += dy;
        apply();
      } else if (pointers.size === 2) {
        moved = true;
        pointers.set(event.pointerId, now);
        var next = pinchOf(pointers);
        if (pinch) {
          view.x += next.mid[0] - pinch.mid[0];
          view.y += next.mid[1] - pinch.mid[1];
          zoomAt(next.distance / pinch.distance, next.mid[0], next.mid[1]);
        }
        pinch = next;
        return;
      }
      pointers.set(event.pointerId, now);
    });

    function release(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
      if (pointers.size === 0) root.classList.remove("ns-canvas--dragging");
    }
    root.addEventListener("pointerup", release);
    root.addEventListener("pointercancel", release);
    // A drag that ends on a link does not follow it.
    root.addEventListener("click", function (event) {
      if (moved) {
        event.preventDefault();
        event.stopPropagation();
        moved = false;
      }
    }, true);

    fit();
  }

  function mountAll() {
    document.querySelectorAll("[data-ns-canvas]").forEach(mount);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(mountAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();

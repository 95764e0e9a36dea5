// Attachments on the item page (screens/_attachments.html): pictures and PDF pages zoom by
// the buttons, a double tap or two fingers apart; PDF pages and table pages turn by buttons.
(function () {
  "use strict";
  var STEPS = [1, 1.5, 2, 3, 4];

  function zoomable(root) {
    var frame = root.querySelector(".zoom-frame");
    var step = 0;
    var scale = 1;
    function apply(next) {
      scale = Math.max(STEPS[0], Math.min(STEPS[STEPS.length - 1], next));
      Array.prototype.forEach.call(frame.querySelectorAll("img"), function (img) {
        if (scale === 1 || !img.naturalWidth) {  // whole, as wide or as high as fits
          img.style.width = img.style.maxWidth = img.style.maxHeight = "";
          return;
        }
        var fitted = Math.min(frame.clientWidth,
                              img.naturalWidth / img.naturalHeight * window.innerHeight * 0.7);
        img.style.maxWidth = img.style.maxHeight = "none";
        img.style.width = Math.round(fitted * scale) + "px";
      });
      root.querySelector("[data-zoom-out]").disabled = scale <= STEPS[0];
      root.querySelector("[data-zoom-in]").disabled = scale >= STEPS[STEPS.length - 1];
    }
    function to(index) {
      step = Math.max(0, Math.min(STEPS.length - 1, index));
      apply(STEPS[step]);
    }
    root.querySelector("[data-zoom-in]").addEventListener("click", function () { to(step + 1); });
    root.querySelector("[data-zoom-out]").addEventListener("click", function () { to(step - 1); });
    root.querySelector("[data-zoom-reset]").addEventListener("click", function () { to(0); });
    frame.addEventListener("dblclick", function () { to(step === 0 ? 2 : 0); });
    // Two fingers: the scale follows their distance; one finger scrolls the picture.
    var pointers = {};
    var pinch = null;
    function distance() {
      var points = Object.keys(pointers).map(function (id) { return pointers[id]; });
      return Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
    }
    frame.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (Object.keys(pointers).length === 2) { pinch = { start: distance(), scale: scale }; }
    });
    frame.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (pinch && Object.keys(pointers).length === 2 && pinch.start > 0) {
        apply(pinch.scale * distance() / pinch.start);
      }
    });
    function up(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length < 2 && pinch) {
        pinch = null;
        step = STEPS.reduce(function (best, value, index) {
          return Math.abs(value - scale) < Math.abs(STEPS[best] - scale) ? index : best;
        }, 0);
      }
    }
    frame.addEventListener("pointerup", up);
    frame.addEventListener("pointercancel", up);
    apply(1);
  }

  function paged(root) {
    var pages = Array.prototype.filter.call(root.querySelectorAll("[data-page]"), function (page) {
      return page.closest("[data-pages]") === root;
    });
    var previous = root.querySelector("[data-page-previous]");
    var next = root.querySelector("[data-page-next]");
    var count = root.querySelector("[data-page-count]");
    if (!previous || !next) { return; }
    var current = 0;
    function show(index) {
      current = Math.max(0, Math.min(pages.length - 1, index));
      pages.forEach(function (page, i) { page.hidden = i !== current; });
      previous.disabled = current === 0;
      next.disabled = current === pages.length - 1;
      count.textContent = "第 " + (current + 1) + " 页，共 " + pages.length + " 页";
    }
    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-zoom]"), zoomable);
    Array.prototype.forEach.call(document.querySelectorAll("[data-pages]"), paged);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());

/* Signage admin: scales the playlist preview to fit while keeping the screen's resolution. */
(function () {
  "use strict";
  var box = document.getElementById("preview-box");
  if (!box) { return; }
  var frame = document.getElementById("preview-frame");
  var width = Number(box.dataset.width);
  var height = Number(box.dataset.height);
  function fit() {
    var scale = Math.min(1, box.clientWidth / width);
    frame.style.transform = "scale(" + scale + ")";
    box.style.height = Math.ceil(height * scale) + "px";
  }
  window.addEventListener("resize", fit);
  fit();
}());

/* Signage admin: drag-to-reorder playlist entries (mouse or touch), and the preview scaled
   to fit while keeping the screen's resolution. Both work without this file too. */
(function () {
  "use strict";

  var rows = document.querySelector("table.entries tbody");
  var form = document.getElementById("drag-form");
  if (rows && form) {
    var dragging = null;
    var moved = function () { return Array.prototype.slice.call(rows.querySelectorAll("tr[data-move]")); };
    rows.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".drag-handle");
      if (!handle) { return; }
      dragging = handle.closest("tr");
      dragging.classList.add("dragging");
      handle.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    rows.addEventListener("pointermove", function (event) {
      if (!dragging) { return; }
      var over = moved().filter(function (row) {
        var box = row.getBoundingClientRect();
        return event.clientY >= box.top && event.clientY < box.bottom;
      })[0];
      if (!over || over === dragging) { return; }
      var box = over.getBoundingClientRect();
      rows.insertBefore(dragging, event.clientY < box.top + box.height / 2 ? over : over.nextSibling);
    });
    var drop = function () {
      if (!dragging) { return; }
      form.action = dragging.dataset.move;
      form.elements.to.value = String(moved().indexOf(dragging));
      dragging.classList.remove("dragging");
      dragging = null;
      form.submit();
    };
    rows.addEventListener("pointerup", drop);
    rows.addEventListener("pointercancel", drop);
  }

  // Files dropped on the upload box are uploaded at once, several together.
  var drop = document.getElementById("upload-form");
  if (drop) {
    var input = drop.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("dragging");
      });
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("dragging"); });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("dragging");
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      input.files = event.dataTransfer.files;
      drop.submit();
    });
  }

  // The add-entry form shows only the fields of the chosen type.
  var kind = document.querySelector("form.entry-form select[name=kind]");
  if (kind) {
    var showKind = function () {
      document.querySelectorAll("form.entry-form [data-kinds]").forEach(function (part) {
        part.hidden = part.dataset.kinds.split(" ").indexOf(kind.value) < 0;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();
  }

  var box = document.getElementById("preview-box");
  if (box) {
    var frame = document.getElementById("preview-frame");
    var width = Number(box.dataset.width);
    var height = Number(box.dataset.height);
    var fit = function () {
      var scale = Math.min(1, box.clientWidth / width);
      frame.style.transform = "scale(" + scale + ")";
      box.style.height = Math.ceil(height * scale) + "px";
    };
    window.addEventListener("resize", fit);
    fit();
  }
}());

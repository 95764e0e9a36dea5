// 手写 (screens/_handwriting.html): strokes drawn with a finger or a mouse on the canvas are
// sent to POST /search/handwriting after each stroke; touching a candidate adds it to the
// query (screens.js: kioskAppendToQuery) and clears the pad for the next character.
(function () {
  "use strict";
  var box = document.getElementById("pad-box");
  var pad = document.getElementById("pad");
  if (!box || !pad) return;
  var keyboard = document.getElementById("keyboard");
  var candidates = document.getElementById("candidates");
  var hint = document.getElementById("pad-hint");
  var ink = pad.getContext("2d");
  var strokes = [];
  var current = null;
  var asked = 0;
  var timer = null;

  function showMode(mode) {
    box.hidden = mode !== "pad";
    keyboard.hidden = mode === "pad";
    Array.prototype.forEach.call(document.querySelectorAll("[data-input-mode]"), function (b) {
      b.setAttribute("aria-pressed", b.dataset.inputMode === mode ? "true" : "false");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-input-mode]"), function (b) {
    b.addEventListener("click", function () { showMode(b.dataset.inputMode); });
  });

  function drawGuides() {
    ink.clearRect(0, 0, pad.width, pad.height);
    ink.strokeStyle = "#9aa5b1";
    ink.lineWidth = 2;
    ink.setLineDash([12, 12]);
    ink.beginPath();
    ink.moveTo(pad.width / 2, 0); ink.lineTo(pad.width / 2, pad.height);
    ink.moveTo(0, pad.height / 2); ink.lineTo(pad.width, pad.height / 2);
    ink.stroke();
    ink.setLineDash([]);
  }
  function clearPad() {
    strokes = [];
    current = null;
    asked++;
    candidates.textContent = "";
    hint.textContent = "在左边的方框里写一个字";
    drawGuides();
  }

  function at(clientX, clientY) {
    var rect = pad.getBoundingClientRect();
    var x = (clientX - rect.left) * pad.width / rect.width;
    var y = (clientY - rect.top) * pad.height / rect.height;
    return [Math.round(Math.min(Math.max(x, 0), pad.width)),
            Math.round(Math.min(Math.max(y, 0), pad.height))];
  }
  function begin(point) {
    current = [point];
    ink.strokeStyle = "#111";
    ink.lineWidth = 14;
    ink.lineCap = "round";
    ink.lineJoin = "round";
    ink.beginPath();
    ink.moveTo(point[0], point[1]);
  }
  function extend(point) {
    if (!current) return;
    current.push(point);
    ink.lineTo(point[0], point[1]);
    ink.stroke();
  }
  function end() {
    if (!current) return;
    if (strokes.length < 64) strokes.push(current);
    current = null;
    clearTimeout(timer);
    timer = setTimeout(recognize, 200);
  }

  pad.addEventListener("touchstart", function (event) {
    event.preventDefault();
    var touch = event.changedTouches[0];
    begin(at(touch.clientX, touch.clientY));
  }, { passive: false });
  pad.addEventListener("touchmove", function (event) {
    event.preventDefault();
    var touch = event.changedTouches[0];
    extend(at(touch.clientX, touch.clientY));
  }, { passive: false });
  pad.addEventListener("touchend", function (event) { event.preventDefault(); end(); });
  pad.addEventListener("touchcancel", end);
  pad.addEventListener("mousedown", function (event) { begin(at(event.clientX, event.clientY)); });
  pad.addEventListener("mousemove", function (event) { extend(at(event.clientX, event.clientY)); });
  window.addEventListener("mouseup", end);

  function recognize() {
    var ticket = ++asked;
    fetch(box.dataset.recognizeUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ width: pad.width, height: pad.height, strokes: strokes })
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (ticket !== asked) return;
        candidates.textContent = "";
        if (answer.error) { hint.textContent = answer.error; return; }
        hint.textContent = "请点您写的字：";
        answer.candidates.forEach(function (character) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "key candidate";
          button.textContent = character;
          candidates.appendChild(button);
        });
      })
      .catch(function () { if (ticket === asked) hint.textContent = "手写识别暂时不可用，请用拼音键盘。"; });
  }

  candidates.addEventListener("click", function (event) {
    var chosen = event.target.closest("button.candidate");
    if (!chosen || !window.kioskAppendToQuery) return;
    window.kioskAppendToQuery(chosen.textContent);
    clearPad();
  });
  document.getElementById("pad-clear").addEventListener("click", clearPad);
  drawGuides();
})();

// Read-aloud controls (macro screens/_read_aloud.html): play/pause, repeat, slow, volume.
// The server answers with the notice's sentence parts; parts not synthesised yet are marked
// not ready and asked for again shortly. Speech stops when the resident leaves the page.
(function () {
  "use strict";
  var POLL_MS = 400;
  var POLL_LIMIT = 150; // about a minute before giving up on a part

  function setup(root) {
    if (root.dataset.readAloudReady) { return; }
    root.dataset.readAloudReady = "1";
    var audio = root.querySelector("audio");
    var play = root.querySelector(".read-aloud-play");
    var label = root.querySelector(".read-aloud-label");
    var icon = root.querySelector(".read-aloud-icon");
    var repeat = root.querySelector(".read-aloud-repeat");
    var slow = root.querySelector(".read-aloud-slow");
    var volume = root.querySelector(".read-aloud-volume input");
    var status = root.querySelector(".read-aloud-status");
    var format = audio.canPlayType('audio/ogg; codecs="opus"') ? "ogg" : "wav";
    var state = { rate: "normal", parts: null, index: 0, playing: false, polls: 0,
                  timer: null, request: 0 };

    function say(text) { status.textContent = text; }

    function showPlaying(on) {
      state.playing = on;
      play.setAttribute("aria-pressed", on ? "true" : "false");
      label.textContent = on ? "暂停" : "朗读";
      icon.textContent = on ? "❚❚" : "▶";
    }

    function unavailable() {
      showPlaying(false);
      say("朗读暂时不可用，请稍后再试。");
    }

    function load(then) {
      var request = ++state.request;
      fetch(root.dataset.partsUrl + "?rate=" + state.rate, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          if (request !== state.request) { return; }
          if (data.failed) { unavailable(); return; }
          state.parts = data.parts;
          then();
        })
        .catch(function () { if (request === state.request) { unavailable(); } });
    }

    function playCurrent(fromStart) {
      if (!state.playing) { return; }
      var part = state.parts[state.index];
      if (!part) { finished(); return; }
      if (!part.ready) {
        if (++state.polls > POLL_LIMIT) { unavailable(); return; }
        say("正在准备朗读……");
        state.timer = setTimeout(function () { load(function () { playCurrent(fromStart); }); },
                                 POLL_MS);
        return;
      }
      state.polls = 0;
      var url = part.urls[format];
      if (audio.getAttribute("src") !== url) {
        audio.src = url;
      } else if (fromStart) {
        audio.currentTime = 0;
      }
      audio.volume = parseFloat(volume.value);
      say(state.rate === "slow" ? "正在慢速朗读" : "正在朗读");
      var started = audio.play();
      if (started && started.catch) {
        started.catch(function () { showPlaying(false); say("请再按一次朗读。"); });
      }
    }

    function finished() {
      showPlaying(false);
      state.index = 0;
      say("朗读完毕。按“重听”再听一遍。");
    }

    function halt() {
      clearTimeout(state.timer);
      state.request++;
      audio.pause();
    }

    function start(fromStart) {
      showPlaying(true);
      repeat.disabled = false;
      if (state.parts) { playCurrent(fromStart); } else { load(function () { playCurrent(fromStart); }); }
    }

    audio.addEventListener("ended", function () {
      state.index++;
      if (state.index >= state.parts.length) { finished(); } else { playCurrent(true); }
    });

    play.addEventListener("click", function () {
      sessionStorage.setItem("kiosk-read-aloud", "1");  // answers are spoken too from now on
      if (state.playing) {
        halt();
        showPlaying(false);
        label.textContent = "继续";
        say("已暂停。再按“继续”接着听。");
        return;
      }
      start(false);
    });

    repeat.addEventListener("click", function () {
      halt();
      state.index = 0;
      start(true);
    });

    slow.addEventListener("click", function () {
      var wasPlaying = state.playing;
      halt();
      state.rate = state.rate === "slow" ? "normal" : "slow";
      slow.setAttribute("aria-pressed", state.rate === "slow" ? "true" : "false");
      state.parts = null; // the other speed is other audio; same sentences, same index
      if (wasPlaying) { start(true); }
    });

    volume.addEventListener("input", function () { audio.volume = parseFloat(volume.value); });

    // A table's rows (screens/_attachments.html): 朗读这一行 reads that row with these controls.
    var rows = root.closest("[data-read-rows]");
    if (rows) {
      rows.addEventListener("click", function (event) {
        var button = event.target.closest("[data-read-row]");
        if (!button) { return; }
        halt();
        root.dataset.partsUrl = button.dataset.readRow;
        state.parts = null;
        state.index = 0;
        start(true);
      });
    }

    function leave() {
      halt();
      showPlaying(false);
      state.index = 0;
      audio.removeAttribute("src");
      audio.load();
    }
    window.addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { leave(); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-read-aloud]"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());

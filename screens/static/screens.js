// Touch-screen behaviour: clock, large text, idle return home, on-screen keyboards, live search.
// The public presentation (phones, desktops) keeps large text, live search, feedback and
// sharing, and leaves out the idle return home, the attract loop and the kept-no-trail history.
(function () {
  "use strict";
  var body = document.body;
  var publicSite = body.dataset.presentation === "public";
  var LARGE = "kiosk-large-text";
  var READ_ALOUD = "kiosk-read-aloud";  // set by read_aloud.js once the resident uses it
  var phraseUrl = body.dataset.phraseUrl;

  // Spoken answers: one of the pages' fixed phrases (screens/phrases.py), by key.
  var voice = document.getElementById("voice") || new Audio();
  function speak(key, always) {
    if (!phraseUrl || !key || (!always && sessionStorage.getItem(READ_ALOUD) !== "1")) return;
    var tries = 0;
    var ask = function () {
      fetch(phraseUrl.replace("_key_", encodeURIComponent(key)))
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || data.failed) return;
          if (!data.ready) { if (++tries < 60) setTimeout(ask, 300); return; }
          var format = voice.canPlayType('audio/ogg; codecs="opus"') ? "ogg" : "wav";
          var queue = data.parts.map(function (part) { return part.urls[format]; });
          var next = function () {
            if (!queue.length) { voice.onended = null; return; }
            voice.src = queue.shift();
            voice.onended = next;
            voice.play().catch(function () { /* no sound allowed yet: the text is shown */ });
          };
          next();
        })
        .catch(function () { /* the answer is on the screen */ });
    };
    ask();
  }
  function quiet() { voice.onended = null; voice.pause(); }

  // Feedback where the eyes are: rating and question post by fetch; the answer appears in
  // the live region right below the button, scrolled into view, and is spoken.
  function answer(form, name, text, isError, link) {
    var ok = document.querySelector('[data-said-ok="' + name + '"]');
    var error = document.querySelector('[data-said-error="' + name + '"]');
    (isError ? ok : error).textContent = "";
    var line = isError ? error : ok;
    line.textContent = text;
    if (link) {  // e.g. the reply code's own page with its QR code
      var more = document.createElement("a");
      more.className = "big-button";
      more.href = link.href;
      more.textContent = link.text;
      line.appendChild(document.createTextNode(" "));
      line.appendChild(more);
    }
    line.scrollIntoView({ block: "nearest" });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-feedback]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var kind = form.dataset.feedback;
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
      fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().catch(function () { return { error: "没有提交成功，请稍后再试。", speak: "refused" }; });
        })
        .then(function (said) {
          answer(form, kind, said.error || said.message, !!said.error, said.link);
          speak(said.speak, false);
        })
        .catch(function () {
          answer(form, kind, "网络暂时不通，没有提交成功，请稍后再试。", true);
          speak("refused", false);
        });
    });
  });

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function showClock() {
    var clock = document.getElementById("clock");
    if (!clock) return;
    var now = new Date();
    clock.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() +
      "日 " + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }
  showClock();
  setInterval(showClock, 15000);

  // Large text: a per-visit choice, forgotten when the idle timer sends the screen home.
  var largeButton = document.getElementById("large-text");
  function applyLarge(on) {
    document.documentElement.classList.toggle("large-text", on);
    if (largeButton) largeButton.setAttribute("aria-pressed", on ? "true" : "false");
  }
  applyLarge(sessionStorage.getItem(LARGE) === "1");
  if (largeButton) {
    largeButton.hidden = false;
    largeButton.addEventListener("click", function () {
      var on = !document.documentElement.classList.contains("large-text");
      sessionStorage.setItem(LARGE, on ? "1" : "0");
      applyLarge(on);
    });
  }

  if (!publicSite) {
    // Idle: a warning that can be dismissed, then home with everything typed forgotten.
    var idleSeconds = parseInt(body.dataset.idleSeconds, 10) || 60;
    var warningSeconds = parseInt(body.dataset.idleWarningSeconds, 10) || 15;
    var warning = document.getElementById("idle-warning");
    var count = document.getElementById("idle-count");
    var idleTimer = null;
    var countdown = null;
    var atDefaultHome = body.classList.contains("home") &&
      document.documentElement.lang === "zh-CN" && sessionStorage.getItem(LARGE) !== "1";

    function forgetAndGoHome() {
      sessionStorage.clear();
      Array.prototype.forEach.call(document.querySelectorAll("input[type=search], input[type=tel]"),
        function (input) { input.value = ""; });
      window.location.replace(body.dataset.resetUrl);
    }
    // The untouched home page, when idle, shows the hall's attract loop (a signage playlist)
    // in a full-screen frame; the loop tells us when someone touches it.
    var attractFrame = null;
    function showAttract() {
      var url = body.dataset.attractUrl;
      if (!url || attractFrame) return;
      fetch(url + "/program.json", { method: "GET" }).then(function (response) {
        if (!response.ok || attractFrame) return;  // 404: no attract loop published
        attractFrame = document.createElement("iframe");
        attractFrame.className = "attract";
        attractFrame.title = "待机宣传画面，触摸屏幕返回首页";
        attractFrame.src = url;
        body.appendChild(attractFrame);
      }).catch(function () { /* stay on the home page */ });
    }
    function hideAttract() {
      if (attractFrame) { attractFrame.remove(); attractFrame = null; }
      activity();
    }
    window.addEventListener("message", function (event) {
      if (event.origin === window.location.origin && event.data &&
          event.data.type === "kiosk-attract-touch") hideAttract();
    });

    // Speech being read aloud, a video playing or an opened viewer count as someone there.
    function busy() {
      var media = document.querySelectorAll("audio, video");
      for (var i = 0; i < media.length; i++) {
        if (media[i].id !== "voice" && !media[i].paused && !media[i].ended) return true;
      }
      return !!document.querySelector("[data-keeps-awake]:not([hidden])");
    }
    function startCountdown() {
      if (busy()) { activity(); return; }
      if (atDefaultHome) { showAttract(); return; }  // nothing to forget: show the loop
      var left = warningSeconds;
      count.textContent = left;
      warning.hidden = false;
      document.getElementById("idle-continue").focus();
      speak("idle", true);
      countdown = setInterval(function () {
        left -= 1;
        count.textContent = Math.max(left, 0);
        if (left <= 0) { clearInterval(countdown); quiet(); forgetAndGoHome(); }
      }, 1000);
    }
    function activity() {
      if (countdown) { clearInterval(countdown); countdown = null; quiet(); }
      if (warning) warning.hidden = true;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(startCountdown, idleSeconds * 1000);
    }
    ["pointerdown", "keydown", "wheel", "touchstart", "input"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });
    // Media events do not bubble: listen in the capture phase for every player on the page.
    ["play", "playing", "timeupdate"].forEach(function (name) {
      document.addEventListener(name, function (event) {
        if (event.target.id !== "voice") activity();
      }, true);
    });
    document.getElementById("idle-continue").addEventListener("click", activity);
    activity();

    // A shared screen keeps no trail: every step replaces the current history entry, so after
    // the idle reset "back" cannot lead into the previous resident's search or item.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || event.defaultPrevented || link.target || link.hasAttribute("download")) return;
      if (link.origin !== window.location.origin) return;
      event.preventDefault();
      window.location.replace(link.href);
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[method=get]"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var query = new URLSearchParams(new FormData(form)).toString();
        window.location.replace(form.action + (query ? "?" + query : ""));
      });
    });
  }

  // 紧急通知 on the home page: shown, changed or cleared within seconds, as on the signage.
  var emergency = document.getElementById("emergency");
  if (emergency) {
    setInterval(function () {
      fetch(emergency.dataset.emergencyUrl)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          var notice = data.emergency;
          emergency.hidden = !notice;
          document.getElementById("emergency-title").textContent = notice ? notice.title : "";
          document.getElementById("emergency-body").textContent = notice ? notice.body : "";
        })
        .catch(function () { /* keep what is shown */ });
    }, 3000);
  }

  // Phone keypad: digits only, no system keyboard.
  Array.prototype.forEach.call(document.querySelectorAll("[data-keypad]"), function (input) {
    var pad = document.getElementById(input.dataset.keypad);
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) return;
      var value = input.value;
      if (key.dataset.key === "back") value = value.slice(0, -1);
      else if (key.dataset.key === "clear") value = "";
      else if (value.length < 13) value += key.dataset.key;
      input.value = value;
    });
  });

  // Search keyboard: letters for pinyin, common words in characters; results update live
  // (debounced, no page load). The 繁體/简体 switch follows the query so it keeps it.
  var query = document.getElementById("q");
  var keyboard = document.getElementById("keyboard");
  var results = document.getElementById("results");
  if (query && results) {
    var pending = null;
    var asked = 0;
    var followQuery = function (url) {
      Array.prototype.forEach.call(document.querySelectorAll("a[data-script-switch]"), function (link) {
        var target = new URL(link.href);
        target.searchParams.set("next", url);
        link.href = target.pathname + target.search;
      });
    };
    var refresh = function () {
      var text = query.value.trim();
      var url = window.location.pathname + (text ? "?q=" + encodeURIComponent(text) : "");
      var ticket = ++asked;
      window.history.replaceState(null, "", url);
      followQuery(url);
      fetch(url, { headers: { "X-Partial": "results" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (ticket !== asked) return;
          results.innerHTML = html;
          results.scrollTop = 0;
        })
        .catch(function () { /* the form's own submit still works */ });
    };
    var typed = function (value) {
      query.value = value.slice(0, 40);
      clearTimeout(pending);
      pending = setTimeout(refresh, 250);
    };
    window.kioskAppendToQuery = function (text) { typed(query.value + text); };
    if (keyboard) keyboard.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key], [data-word]");
      if (!key) return;
      var value = query.value;
      if (key.dataset.word) value = key.dataset.word;  // a quick word replaces the query
      else if (key.dataset.key === "back") value = value.slice(0, -1);
      else if (key.dataset.key === "clear") value = "";
      else if (key.dataset.key === "space") value += " ";
      else value += key.dataset.key;
      typed(value);
    });
    query.addEventListener("input", function () { typed(query.value); });
    document.getElementById("clear-query").addEventListener("click", function () {
      typed("");
      query.focus();
    });
  }

  // Share (public pages): the page's address to the clipboard, said in Chinese.
  Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), function (button) {
    var said = button.parentNode.querySelector("[data-share-said]");
    button.addEventListener("click", function () {
      var address = window.location.href.split("#")[0];
      var done = function (text) { if (said) said.textContent = text; };
      if (!navigator.clipboard) { done("无法自动复制，请长按浏览器地址栏复制：" + address); return; }
      navigator.clipboard.writeText(address).then(function () {
        done("已复制本页地址，可以粘贴到微信或短信里发给别人。");
      }, function () { done("没能复制，请长按浏览器地址栏复制：" + address); });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

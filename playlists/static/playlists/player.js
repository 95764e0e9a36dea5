/* Signage player: plays the screen's program without gaps, keeps playing from its cache
   when the node or the network is away, shows emergency notices, reports what it shows. */
(function () {
  "use strict";

  var body = document.body;
  var mode = body.dataset.mode;            // screen | attract | preview | mirror
  var base = body.dataset.base;            // /player/<screen>, /player/attract, /player/preview/<id>
  var mediaBase = body.dataset.media;
  var zone = body.dataset.zone;
  var POLL_MS = 1000;                      // emergency notices within 3 s, changes within 10 s
  var HEARTBEAT_MS = 30000;
  var REPORT_GAP_MS = 1000;               // the mirror follows within a second or two
  var FLUSH_MS = 2000;
  var LOAD_TIMEOUT_MS = 10000;
  var RETRY_MS = 5000;
  var REQUEST_TIMEOUT_MS = 5000;
  var PROGRAM_KEY = "kiosk-player-program:" + base;
  var PLAYS_KEY = "kiosk-player-plays:" + base;

  var slots = [document.getElementById("slot-a"), document.getElementById("slot-b")];
  var front = 0;
  var program = null;
  var generation = 0;       // bumps when a new program replaces the old one
  var nextIndex = -1;
  var pending = null;       // Promise of the preloaded next entry
  var current = null;       // {entry, start}
  var timer = null;
  var emergencyId = null;

  // ------------------------------------------------------------ small helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // A request to a node that went away mid-connection must not hang the player's loops.
  function request(path, options) {
    var abort = new AbortController();
    var t = setTimeout(function () { abort.abort(); }, REQUEST_TIMEOUT_MS);
    options.signal = abort.signal;
    options.credentials = "same-origin";
    options.cache = "no-store";
    return fetch(path, options).then(function (r) {
      clearTimeout(t);
      if (!r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
      return r.json();
    }, function (error) { clearTimeout(t); throw error; });
  }

  function getJSON(path) {
    return request(path, {});
  }

  function postJSON(path, data) {
    return request(path, {method: "POST", headers: {"Content-Type": "application/json"},
                          body: JSON.stringify(data)});
  }

  function remember(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or off */ }
  }

  function recall(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }

  // ------------------------------------------------------------ header and ticker

  var clockFormat;
  var clockOptions = {year: "numeric", month: "long", day: "numeric", weekday: "long",
                      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false};
  try {
    clockFormat = new Intl.DateTimeFormat("zh-CN", Object.assign({timeZone: zone}, clockOptions));
  } catch (e) {  // a zone this browser does not know: its own clock is better than none
    clockFormat = new Intl.DateTimeFormat("zh-CN", clockOptions);
  }

  function tick() {
    document.getElementById("clock").textContent = clockFormat.format(new Date());
  }

  function showFrame(p) {
    body.classList.remove("layout-standard", "layout-no-ticker", "layout-fullscreen");
    body.classList.add("layout-" + (p.layout || "standard"));
    document.getElementById("hall").textContent = p.hall || "";
    var track = document.getElementById("ticker-track");
    var text = (p.ticker || []).join("　　◆　　");
    if (track.textContent !== text) {
      track.textContent = text;
      // Same reading speed whatever the length: about 6 characters a second.
      track.style.animationDuration = Math.max(20, Math.round(text.length / 6)) + "s";
    }
    document.getElementById("ticker").hidden = !text;
  }

  // ------------------------------------------------------------ building entries

  // A PDF page range plays as one step per page, each for the entry's duration.
  function steps(entries) {
    var out = [];
    entries.forEach(function (entry) {
      if (entry.kind === "pdf") {
        for (var page = entry.pages[0]; page <= entry.pages[1]; page++) {
          out.push({entry: entry, page: page});
        }
      } else {
        out.push({entry: entry, page: null});
      }
    });
    return out;
  }

  function card(entry, extra) {
    var box = el("article", "card card-" + entry.kind);
    box.appendChild(el("h1", "card-title", entry.title));
    if (entry.body) { box.appendChild(el("p", "card-body", entry.body)); }
    if (entry.text) { box.appendChild(el("p", "card-text", entry.text)); }
    if (entry.publisher) { box.appendChild(el("p", "card-publisher", entry.publisher)); }
    if (extra) { box.appendChild(extra); }
    return box;
  }

  function qrFigure(entry, caption) {
    var figure = el("figure", "qr");
    var img = el("img");
    img.src = entry.qr;
    img.alt = "二维码：" + (entry.qr_target || "");
    figure.appendChild(img);
    figure.appendChild(el("figcaption", "", caption));
    return figure;
  }

  // Why an entry was skipped, in words a hall manager reads in the admin.
  function failed(reason) {
    var error = new Error(reason);
    error.shown = true;
    return error;
  }

  function decoded(img, what) {
    return img.decode().catch(function () { throw failed(what + "无法显示（文件损坏或已删除）"); });
  }

  function withTimeout(promise) {
    return new Promise(function (resolve, reject) {
      var t = setTimeout(function () {
        reject(failed("超过 " + LOAD_TIMEOUT_MS / 1000 + " 秒仍未加载完"));
      }, LOAD_TIMEOUT_MS);
      promise.then(function (v) { clearTimeout(t); resolve(v); },
                   function (e) { clearTimeout(t); reject(e); });
    });
  }

  function pageAddress(entry, page) {
    return mediaBase + entry.media + "/page/" + page;
  }

  // Builds the step's element inside `slot` (hidden) and resolves once it can show at once.
  function build(step, slot) {
    var entry = step.entry;
    var node;
    var ready;
    if (entry.kind === "notice") {
      node = card(entry);
      ready = Promise.resolve();
    } else if (entry.kind === "item") {
      node = card(entry, qrFigure(entry, "扫码查看或在线办理"));
      ready = decoded(node.querySelector("img"), "二维码");
    } else if (entry.kind === "qr") {
      node = el("article", "card card-qr");
      node.appendChild(el("h1", "card-title", entry.title));
      node.appendChild(qrFigure(entry, entry.text || ""));
      ready = decoded(node.querySelector("img"), "二维码");
    } else if (entry.kind === "image") {
      node = el("img", "media");
      node.alt = entry.title || "";
      node.src = mediaBase + entry.media;
      ready = decoded(node, "图片");
    } else if (entry.kind === "video") {
      node = el("video", "media");
      node.muted = true;
      node.preload = "auto";
      node.playsInline = true;
      ready = new Promise(function (resolve, reject) {
        node.addEventListener("canplay", resolve, {once: true});
        node.addEventListener("error", function () { reject(failed("视频无法播放（格式不支持、文件损坏或已删除）")); },
                              {once: true});
      });
      node.src = mediaBase + entry.media;
    } else if (entry.kind === "pdf") {
      // The node rendered each page as an image: no PDF viewer, so no PDF script runs.
      node = el("img", "media");
      node.alt = (entry.title || "") + " 第 " + step.page + " 页";
      node.src = pageAddress(entry, step.page);
      ready = decoded(node, "PDF 页面");
    } else {
      node = el("iframe", "frame");
      node.title = entry.title || "网页";
      node.setAttribute("sandbox", "allow-scripts allow-same-origin");  // outside pages
      ready = new Promise(function (resolve) { node.addEventListener("load", resolve, {once: true}); });
      node.src = entry.url;
    }
    slot.replaceChildren(node);
    return withTimeout(ready).then(function () { return node; });
  }

  function clear(slot) {
    slot.querySelectorAll("video").forEach(function (v) { v.pause(); v.removeAttribute("src"); v.load(); });
    slot.replaceChildren();
  }

  // ------------------------------------------------------------ playing

  function findNext(gen) {
    var list = program ? steps(program.entries) : [];
    var slot = slots[1 - front];
    var tries = 0;
    function attempt() {
      if (gen !== generation || tries >= list.length) { return Promise.resolve(null); }
      tries += 1;
      nextIndex = (nextIndex + 1) % list.length;
      var step = list[nextIndex];
      return build(step, slot).then(function (node) {
        return {step: step, node: node, slot: slot};
      }, function (error) {
        if (gen !== generation) { return null; }
        clear(slot);
        reportFailure(step.entry, error);
        return attempt();
      });
    }
    return attempt();
  }

  // Plays wait here (and in localStorage, across restarts) until the node has them.
  var plays = recall(PLAYS_KEY, []);

  function recordShown(until) {
    if (mode !== "screen" || current.covered) { return; }
    plays.push({key: newKey(), entry: current.entry.id, playlist: current.playlist,
                title: current.entry.title, start: current.start, end: until});
    if (plays.length > 5000) { plays.splice(0, plays.length - 5000); }
    remember(PLAYS_KEY, plays);
  }

  function finishCurrent() {
    if (!current) { return; }
    recordShown(Date.now());
    current = null;
  }

  // Proof of play claims only what people could see: an emergency notice over the screen
  // ends the current play record, and the entry counts again from when it clears.
  function coverCurrent(covered) {
    if (!current || current.covered === covered) { return; }
    if (covered) { recordShown(Date.now()); } else { current.start = Date.now(); }
    current.covered = covered;
  }

  // One callback per shown step, whichever of timer or video end comes first.
  var stepCounter = 0;
  function endOfStep(gen) {
    var mine = ++stepCounter;
    return function () {
      if (mine === stepCounter && gen === generation) { stepCounter += 1; advance(gen); }
    };
  }

  function advance(gen) {
    clearTimeout(timer);
    pending.then(function (next) {
      if (gen !== generation) { return; }
      finishCurrent();
      if (!next) {
        clear(slots[front]);
        document.getElementById("idle").hidden = false;
        timer = setTimeout(function () { restart(); }, RETRY_MS);
        return;
      }
      document.getElementById("idle").hidden = true;
      var old = slots[front];
      front = slots.indexOf(next.slot);
      next.slot.classList.add("showing");
      old.classList.remove("showing");
      clear(old);
      current = {entry: next.step.entry, page: next.step.page, start: Date.now(),
                 covered: emergencyId !== null,
                 playlist: program.playlist ? program.playlist.id : null};
      body.dataset.entry = String(next.step.entry.id);
      var ms = next.step.entry.duration * 1000;
      var done = endOfStep(gen);
      if (next.node.tagName === "VIDEO") {
        next.node.play().catch(function () { /* muted autoplay is allowed; nothing to do */ });
        if (!ms) {  // a video of duration 0 plays to its end; the timer is a safety net
          ms = ((next.node.duration || 10) + 1) * 1000;
          next.node.addEventListener("ended", done, {once: true});
        }
      }
      if (mode === "screen") { reportShown(); }  // the admin's mirror follows
      if (mode === "mirror") { return; }         // it shows what the screen reports
      pending = findNext(gen);
      timer = setTimeout(done, ms);
    });
  }

  function restart() {
    generation += 1;
    nextIndex = -1;
    pending = findNext(generation);
    advance(generation);
  }

  function apply(p) {
    if (p.paired === false) {
      document.getElementById("pairing-code").textContent = p.pairing_code || "";
      document.getElementById("pairing").hidden = false;
      return;
    }
    document.getElementById("pairing").hidden = true;
    var same = program && program.version === p.version;
    program = p;
    showFrame(p);
    document.getElementById("idle").textContent = p.idle || "暂无播放内容";
    document.getElementById("standby").hidden = !(p.standby || manualStandby);
    if (mode === "screen" || mode === "attract") { remember(PROGRAM_KEY, p); }
    warmCache(p);
    if (!same) { restart(); }
  }

  // A screen's browser registers itself with a POST (pages never write on GET); after a
  // manager re-pairs the screen the node answers 403 and the browser registers again.
  var registered = false;
  function ensureRegistered() {
    if (mode !== "screen" || registered) { return Promise.resolve(); }
    return postJSON(base + "/register", {}).then(function () { registered = true; });
  }

  function load() {
    return ensureRegistered().then(function () {
      return getJSON(base + "/program.json");
    }).then(apply, function (error) {
      if (error.status === 403) { registered = false; }
      if (error.status === 404 && mode === "attract") { goHome(); return; }
      // Node away: play what was last known (the service worker also answers from cache).
      var cached = recall(PROGRAM_KEY, null);
      if (cached && !program) { apply(cached); }
    });
  }

  // ------------------------------------------------------------ talking to the node

  function reportFailure(entry, error) {
    if (mode !== "screen") { return; }
    var detail = String(error && error.message || error);
    postJSON(base + "/failures", {entry: entry.id, reason: error && error.shown ? detail : "无法显示",
                                  detail: detail})
      .catch(function () { /* offline: the skip itself is what matters */ });
  }

  var flushing = false;
  function flushPlays() {
    if (flushing || !plays.length) { return; }
    flushing = true;
    var batch = plays.slice(0, 500);
    postJSON(base + "/plays", {plays: batch}).then(function () {
      var sent = {};
      batch.forEach(function (p) { sent[p.key] = true; });
      plays = plays.filter(function (p) { return !sent[p.key]; });
      remember(PLAYS_KEY, plays);
    }).catch(function () { /* kept for the next try */ }).then(function () { flushing = false; });
  }

  // Commands carried out and not yet acknowledged; each heartbeat acknowledges them.
  var acked = [];
  function heartbeat() {
    var sending = acked.slice();
    return postJSON(base + "/heartbeat", {
      entry: current ? current.entry.id : null, title: current ? current.entry.title : "",
      page: current && current.page ? current.page : 0,
      version: program ? program.version : "", acked: sending,
      viewport: window.innerWidth + "x" + window.innerHeight
    }).then(function () {
      acked = acked.filter(function (id) { return sending.indexOf(id) < 0; });
    }).catch(function () { /* node away: acknowledged with the next one */ });
  }

  // A change of entry is reported at once, but never more than once a second (entries of
  // a fraction of a second must not flood the node).
  var lastReport = 0;
  var reportTimer = null;
  function reportShown() {
    if (reportTimer) { return; }
    var wait = Math.max(0, lastReport + REPORT_GAP_MS - Date.now());
    reportTimer = setTimeout(function () {
      reportTimer = null;
      lastReport = Date.now();
      heartbeat();
    }, wait);
  }

  // ------------------------------------------------------------ remote commands

  var manualStandby = false;
  var carriedOut = {};
  function runCommands(commands) {
    (commands || []).forEach(function (command) {
      if (carriedOut[command.id]) { return; }
      carriedOut[command.id] = true;
      acked.push(command.id);
      if (command.kind === "reload") {
        // Say it arrived, then reload (a reload that failed to send is sent again).
        heartbeat().then(function () { location.reload(); });
        return;
      }
      document.getElementById("test-pattern").hidden = command.kind !== "test_pattern";
      manualStandby = command.kind === "standby";
      document.getElementById("standby").hidden = !(manualStandby || (program && program.standby));
      heartbeat();
    });
  }

  // The mirror shows the step the screen reports (its entry and PDF page).
  function follow(state) {
    if (!program || state.entry === null || state.entry === undefined) { return; }
    var list = steps(program.entries);
    var page = state.page || null;
    var shownEntry = current ? current.entry.id : null;
    var shownPage = current ? current.page : null;
    if (shownEntry === state.entry && (shownPage || null) === page) { return; }
    for (var i = 0; i < list.length; i++) {
      if (list[i].entry.id === state.entry && (list[i].page || null) === page) {
        generation += 1;
        nextIndex = i - 1;
        pending = findNext(generation);
        advance(generation);
        return;
      }
    }
  }

  function showEmergency(notice) {
    var box = document.getElementById("emergency");
    if (!notice) {
      box.hidden = true;
      emergencyId = null;
      coverCurrent(false);
      if (window.speechSynthesis) { speechSynthesis.cancel(); }
      return;
    }
    if (notice.id === emergencyId) { return; }
    emergencyId = notice.id;
    coverCurrent(true);
    document.getElementById("emergency-title").textContent = notice.title;
    document.getElementById("emergency-body").textContent = notice.body;
    box.hidden = false;
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      var words = new SpeechSynthesisUtterance("紧急通知。" + notice.title + "。" + notice.body);
      words.lang = "zh-CN";
      speechSynthesis.cancel();
      speechSynthesis.speak(words);
    }
  }

  var polling = false;
  function poll() {
    if (polling) { return; }
    polling = true;
    getJSON(base + "/poll").then(function (state) {
      showEmergency(state.emergency);
      if (mode === "screen") { runCommands(state.commands); }
      if (mode === "mirror") { follow(state); }
      if (state.paired === false || !program || state.version !== program.version) {
        return load();
      }
    }, function (error) {
      if (error.status === 404 && mode === "attract") { goHome(); }
      if (error.status === 403) { registered = false; return load(); }
    }).then(function () { polling = false; });
  }

  function warmCache(p) {
    if (!window.caches || mode === "preview" || mode === "mirror") { return; }
    var urls = [];
    steps(p.entries).forEach(function (step) {
      var e = step.entry;
      if (e.kind === "pdf") { urls.push(pageAddress(e, step.page)); } else if (e.media) { urls.push(mediaBase + e.media); }
    });
    // One cache per player, so a screen's pruning never drops another player's files.
    caches.open("kiosk-player-media:" + base).then(function (cache) {
      urls.forEach(function (url) {
        cache.match(url).then(function (hit) { if (!hit) { cache.add(url).catch(function () {}); } });
      });
      // Files the program no longer uses leave the cache, so it does not grow for ever.
      cache.keys().then(function (requests) {
        requests.forEach(function (request) {
          if (urls.indexOf(new URL(request.url).pathname) < 0) { cache.delete(request); }
        });
      });
    }).catch(function () { /* no cache storage: play from the network */ });
  }

  function goHome() {
    if (window.parent !== window) {
      window.parent.postMessage({type: "kiosk-attract-touch"}, location.origin);
    } else {
      location.href = body.dataset.home;
    }
  }

  // ------------------------------------------------------------ start

  tick();
  setInterval(tick, 1000);
  if ("serviceWorker" in navigator && (mode === "screen" || mode === "attract")) {
    navigator.serviceWorker.register(body.dataset.sw, {scope: "/player/"}).catch(function () {});
  }
  load();
  if (mode !== "preview") { setInterval(poll, POLL_MS); }
  if (mode === "screen") {
    setInterval(flushPlays, FLUSH_MS);
    setInterval(heartbeat, HEARTBEAT_MS);
    setTimeout(heartbeat, 2000);
  }
  if (mode === "attract") {
    document.addEventListener("pointerdown", goHome);
    document.addEventListener("keydown", goHome);
  }
}());

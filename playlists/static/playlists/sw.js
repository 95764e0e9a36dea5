/* Player service worker: keeps the last player page, program and media so a screen
   goes on playing when the node restarts or the network drops. */
"use strict";

var PAGES = "kiosk-player-pages";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request, {cacheName: PAGES}).then(function (hit) {
      return hit || Response.error();
    });
  });
}

// Media files are put in the caches by the player page itself (one cache per player).
function cacheFirst(request) {
  var url = request.url.split("#")[0];
  return caches.match(url).then(function (hit) {
    return hit || fetch(request);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  // Live state (emergency notices, version) must never come from a cache.
  if (/\/poll$/.test(url.pathname)) { return; }
  if (url.pathname.indexOf("/player/media/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.indexOf("/player/") === 0) {
    event.respondWith(networkFirst(request));
  }
});

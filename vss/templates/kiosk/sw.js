{#- The kiosk's service worker: keeps the scanning page and its files so that a kiosk whose
    browser restarts while VSS cannot be reached still opens the page and checks cards with the
    kept keys (vss/static/js/kiosk.js). A page answer that is not the page (the kiosk was
    revoked: a redirect, 401/403/404) deletes the copy. Served by vss.views.kiosk.worker. -#}
// VSS: the kiosk page offline (vss/templates/kiosk/sw.js).
const CACHE = "vss-kiosk-v1";
const PAGE = "{{ url_for('kiosk.home') }}";
const ASSETS = {{ assets|tojson }};

{#- The page is kept at install too: the worker takes over the open page without a navigation. -#}
function keepPage(cache) {
  return fetch(PAGE, { credentials: "same-origin" }).then((response) => {
    if (response.ok && !response.redirected) return cache.put(PAGE, response);
  }).catch(() => {});
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS).then(() => keepPage(cache))));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE && event.request.mode === "navigate") {
    event.respondWith(
      fetch(event.request).then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(PAGE, copy)));
        } else if (response.redirected || [401, 403, 404].includes(response.status)) {
          event.waitUntil(caches.delete(CACHE));
        }
        return response;
      }, () => caches.match(PAGE).then((hit) => hit || Response.error()))
    );
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
  }
});

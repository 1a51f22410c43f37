{#- The service worker that keeps the BHYT card page (and the files it needs) so the card can be
    shown at the hospital without a signal, for as long as the session that fetched it lasts.
    Any answer that refuses this phone the card (signed out, taken over, no card) deletes it.
    Served by vss.views.public.service_worker; these notes are Jinja comments, so phones, which
    fetch this script again on navigations, do not download them. -#}
// VSS: the BHYT card offline on the owner's phone (vss/templates/sw.js).
const CACHE = "vss-card-v1";
const CARD = "{{ url_for('me.card_image') }}";
const ASSETS = {{ assets|tojson }};
const KEEP_FOR = {{ keep_header|tojson }};
const UNTIL = "VSS-Offline-Until";
const REFUSED = [401, 403, 404, 410];
const EXPIRED = {{ expired|tojson }};
const OFFLINE = {{ offline|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function forget() {
  return caches.delete(CACHE).then(() => self.registration.unregister());
}

{#- The copy is stamped with its end as this phone counts time (UNTIL, ms): the server sends the
    seconds left (KEEP_FOR), not a date, so a phone whose clock is wrong still keeps it for the
    right length of time. -#}
function keep(request, response) {
  const headers = new Headers(response.headers);
  headers.set(UNTIL, String(Date.now() + Number(response.headers.get(KEEP_FOR)) * 1000));
  return response.blob().then((body) => caches.open(CACHE).then((cache) => cache.put(request,
    new Response(body, { status: response.status, statusText: response.statusText, headers }))));
}

function note([lang, title, text, link]) {
  return new Response(`<!doctype html><html lang="${lang}"><meta charset="utf-8"><meta name="viewport" ` +
    `content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${ASSETS[0]}">` +
    `<title>${title} — VSS</title><main id="main"><h1>${title}</h1><p>${text}</p>` +
    `<p><a class="button" href="${CARD}">${link}</a></p></main>`,
    { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function expired() {
  return note(EXPIRED);
}

{#- Any other page opened without a signal: the stored card is offered when this device has a
    copy still in date; otherwise the browser's own offline page. -#}
function offline() {
  return caches.open(CACHE).then((cache) => cache.match(CARD)).then((hit) =>
    hit && Number(hit.headers.get(UNTIL)) > Date.now() ? note(OFFLINE) : Response.error());
}

{#- A copy past its end (or kept by an older worker, with no end) is deleted, and the phone is
    told why instead of seeing the card of a session that is over. -#}
function stored(request) {
  return caches.open(CACHE)
    .then((cache) => cache.match(request).then((hit) => hit || cache.match(CARD)))
    .then((hit) => {
      if (!hit) return Response.error();
      if (Number(hit.headers.get(UNTIL)) > Date.now()) return hit;
      return forget().then(expired);
    });
}

{#- Sent to sign-in (a navigation's redirect is opaque here, status 0) or refused the card: the
    copy goes before the browser follows the answer. A busy or rate-limiting server (429, 5xx)
    leaves it. -#}
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === CARD) {
    event.respondWith(
      fetch(event.request).then((response) => {
        if (response.ok && !response.redirected && Number(response.headers.get(KEEP_FOR)) > 0) {
          event.waitUntil(keep(event.request, response.clone()));
        } else if (response.type === "opaqueredirect" || response.redirected || REFUSED.includes(response.status)) {
          return forget().then(() => response);
        }
        return response;
      }, () => stored(event.request))
    );
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
  } else if (event.request.mode === "navigate") {
    event.respondWith(fetch(event.request).catch(offline));
  }
});

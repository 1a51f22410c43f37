// VSS: tiny progressive enhancement on top of htmx. Pages work without it.
(function () {
  "use strict";
  // A failed htmx request on a weak signal: say so instead of doing nothing.
  function notice(text) {
    var el = document.getElementById("net-notice");
    if (!el) {
      el = document.createElement("p");
      el.id = "net-notice";
      el.className = "offline";
      el.setAttribute("role", "status");
      document.body.appendChild(el);
    }
    el.textContent = text;
    el.hidden = false;
  }
  function clear() {
    var el = document.getElementById("net-notice");
    if (el) el.hidden = true;
  }
  var vi = document.documentElement.lang !== "en";
  document.addEventListener("htmx:sendError", function () {
    notice(vi ? "Mất kết nối. Dữ liệu bạn nhập vẫn còn; hãy thử lại." : "Connection lost. Your input is kept; please try again.");
  });
  document.addEventListener("htmx:responseError", function () {
    notice(vi ? "Máy chủ đang bận. Vui lòng thử lại sau ít phút." : "The server is busy. Please try again shortly.");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.successful) clear();
  });
  // A swapped step: show its errors, or its top, as a new page would.
  document.addEventListener("htmx:afterSettle", function (e) {
    var step = document.getElementById("step");
    if (!step || !step.contains(e.detail.elt) && e.detail.elt !== step) return;
    var summary = step.querySelector(".error-summary");
    if (summary) { summary.focus(); summary.scrollIntoView(); return; }
    var heading = step.querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    window.scrollTo(0, 0);
  });

  // Photo step: shrink camera photos in the browser before upload (a 4 MB photo goes up as a
  // few hundred KB) and show upload progress. Without JavaScript the server shrinks them.
  var MAX_SIDE = 1600, QUALITY = 0.8;

  function size(bytes) {
    var format = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
    return bytes < 1048576 ? format.format(Math.ceil(bytes / 1024)) + " KB" : format.format(bytes / 1048576) + " MB";
  }

  // What will go up, said beside the field: the size after shrinking, and the original's.
  function tell(input, sent, original) {
    var note = document.getElementById(input.id + "-size"), form = input.form;
    if (!note) return;
    var text = sent < original ? form.dataset.sizeShrunk : form.dataset.sizeSame;
    note.textContent = text.replace("{size}", size(sent)).replace("{original}", size(original));
    note.hidden = false;
  }

  function shrink(input) {
    var file = input.files && input.files[0];
    if (file) tell(input, file.size, file.size);
    if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap ||
        !window.DataTransfer) return;
    createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob || blob.size >= file.size) return;
        var smaller = new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
        var list = new DataTransfer();
        list.items.add(smaller);
        input.files = list.files;
        input.dataset.originalSize = file.size;
        input.dataset.uploadSize = smaller.size;
        tell(input, smaller.size, file.size);
      }, "image/jpeg", QUALITY);
    }).catch(function () { /* the server will shrink it */ });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("form.photos input[type=file]")) shrink(event.target);
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = document.getElementById("upload-progress");
    if (!bar || !event.detail.lengthComputable) return;
    document.getElementById("upload").hidden = false;
    bar.value = Math.round(event.detail.loaded / event.detail.total * 100);
  });

  // The camera QR scanner (components/scanner.html): its button shows where the browser has a
  // camera API, and its script (js/scanner.js, which then handles every tap) comes at the first tap.
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    document.documentElement.classList.add("camera");
    document.addEventListener("click", function (event) {
      var box = event.target.closest && event.target.closest("[data-scanner]");
      if (!box || window.vssScanner || !event.target.closest(".scan-open") || box.dataset.loading) return;
      box.dataset.loading = 1;
      var script = document.createElement("script");
      script.src = box.dataset.script;
      script.onload = function () { window.vssScanner(box); };
      script.onerror = function () { delete box.dataset.loading; box.querySelector(".scan-status").textContent = box.dataset.nocamera; };
      document.head.appendChild(script);
    });
  }

  // Staff: warn two minutes before the idle timeout (WCAG 2.2.1); "Tiếp tục" extends it.
  var expiresMeta = document.querySelector('meta[name="session-expires"]');
  if (expiresMeta) {
    var IDLE_MS = 30 * 60 * 1000, WARN_MS = 2 * 60 * 1000, timers = [];
    var schedule = function (expires) {
      timers.forEach(clearTimeout);
      var left = expires - Date.now();
      var warning = document.getElementById("idle-warning");
      timers = [
        setTimeout(function () { if (warning) warning.hidden = false; }, Math.max(0, left - WARN_MS)),
        setTimeout(function () { location.reload(); }, Math.max(0, left + 1000))
      ];
    };
    schedule(Date.parse(expiresMeta.content));
    document.addEventListener("htmx:afterRequest", function (e) {
      if (!e.detail.successful) return;
      var warning = document.getElementById("idle-warning");
      if (warning && warning.contains(e.detail.elt)) warning.hidden = true;
      schedule(Date.now() + IDLE_MS);
    });
  }

  // "Kept on this device" is said only once it is true: on a first visit the page came before
  // its worker, so the card is fetched once more through the worker, which keeps it.
  function keepThisCard() {
    var claim = document.querySelector("[data-offline-claim]");
    if (!claim || !window.caches) return;
    var card = location.pathname + location.search;
    var show = function (hit) { if (hit) claim.hidden = false; return hit; };
    caches.match(card).then(show).then(function (hit) {
      if (hit) return;
      var controlled = navigator.serviceWorker.controller ? Promise.resolve() : new Promise(function (done) {
        navigator.serviceWorker.addEventListener("controllerchange", done, { once: true });
      });
      // The worker stores its copy just after answering: look for it a few times.
      var look = function (tries) {
        return caches.match(card).then(show).then(function (hit) {
          if (!hit && tries > 1) setTimeout(function () { look(tries - 1); }, 300);
        });
      };
      controlled.then(function () { return fetch(card, { credentials: "same-origin" }); })
        .then(function () { look(10); });
    });
  }

  // The BHYT card works offline on the owner's own device. Signing out forgets it, and so does
  // the sign-in page: whoever sees it is signed out here (where the browser honours the
  // server's Clear-Site-Data, that has already been done). Only the card's worker and cache go.
  if ("serviceWorker" in navigator) {
    if (document.querySelector("[data-offline-card]")) {
      navigator.serviceWorker.register("/sw.js").then(keepThisCard).catch(function () {});
    }
    if (document.querySelector('meta[name="clear-offline"]') || location.pathname === "/dang-nhap") {
      if (window.caches) caches.delete("vss-card-v1");
      navigator.serviceWorker.getRegistrations().then(function (list) {
        list.forEach(function (registration) {
          var worker = registration.active || registration.waiting || registration.installing;
          if (worker && new URL(worker.scriptURL).pathname === "/sw.js") registration.unregister();
        });
      });
    }
  }
})();

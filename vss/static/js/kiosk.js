// VSS hospital kiosk: the scan form, answered by VSS when it can be reached and by this browser
// (window.VssVerdict, kiosk-verify.js, with the kept public keys and revocation list) when not.
// Check-ins made offline wait in localStorage and are sent when VSS is back; VSS keeps one
// check-in per key, so a resend after a lost answer is never a second visit.
(function () {
  "use strict";
  var form = document.getElementById("scan");
  if (!form || !window.fetch) return;
  var field = document.getElementById("qr");
  var box = document.getElementById("answer");
  var status = document.getElementById("kiosk-status");
  var texts = JSON.parse(form.dataset.texts);
  var lang = document.documentElement.lang || "vi";
  var TRUST = "vss-kiosk-trust", QUEUE = "vss-kiosk-queue";
  var DAY_MS = 24 * 3600 * 1000, TIMEOUT_MS = 8000;
  var csrf = form.dataset.csrf, syncing = false;

  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(name)) || fallback; } catch (e) { return fallback; }
  }
  function save(name, value) { localStorage.setItem(name, JSON.stringify(value)); }
  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function todayISO() {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
  }
  function day(iso) {
    if (!iso) return "";
    var p = iso.split("-");
    if (lang !== "en") return p[2] + "/" + p[1] + "/" + p[0];
    return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })
      .format(new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])));
  }
  function clock(ms) {
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", {
      hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric",
      timeZone: "Asia/Ho_Chi_Minh" }).format(new Date(ms));
  }
  function withTimeout(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    options.signal = controller.signal;
    options.credentials = "same-origin";
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }
  function showQueue() {
    var waiting = load(QUEUE, []).length;
    status.textContent = waiting ? say(texts.waiting, { count: waiting }) : "";
  }

  // --- the trust material kept for offline checks -------------------------------------------
  function refreshTrust() {
    var get = function (url) {
      return withTimeout(url, { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    };
    return Promise.all([get(form.dataset.keys), get(form.dataset.revocations)]).then(function (both) {
      save(TRUST, { keys: both[0], revocations: both[1], fetched_at: Date.now() });
    }).catch(function () {});
  }

  // --- offline check-ins ------------------------------------------------------------------------
  function newToken() {
    return withTimeout(form.dataset.session, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (body) { csrf = body.csrf; });
  }
  function send(item) {
    return withTimeout(form.dataset.checkin, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(item)
    });
  }
  function sync() {
    if (syncing || !load(QUEUE, []).length) return Promise.resolve();
    syncing = true;
    var next = function () {
      var queue = load(QUEUE, []);
      if (!queue.length) return null;
      var item = queue[0];
      return send(item).then(function (r) {
        if (r.status === 400) return newToken().then(function () { return send(item); });
        return r;
      }).then(function (r) {
        // Recorded (or already recorded), or refused for good (422): either way it leaves the queue.
        if (!(r.ok || r.status === 422)) throw new Error(r.status);
        save(QUEUE, load(QUEUE, []).filter(function (q) { return q.key !== item.key; }));
        showQueue();
        return next();
      });
    };
    return Promise.resolve().then(next).catch(function () {}).finally(function () {
      syncing = false;
      showQueue();
    });
  }

  // --- the answer --------------------------------------------------------------------------------
  function draw(rows, tone, note) {
    var copy = document.getElementById("answer-template").content.cloneNode(true);
    var section = copy.querySelector("[data-answer]");
    section.className = "answer " + tone;
    Object.keys(rows).forEach(function (key) {
      var slot = section.querySelector('[data-f="' + key + '"]');
      if (!slot) return;
      slot.textContent = rows[key];
      var row = section.querySelector('[data-row="' + key + '"]');
      if (row) row.hidden = !rows[key];
    });
    var noteSlot = section.querySelector('[data-f="offline"]');
    noteSlot.textContent = note;
    noteSlot.hidden = !note;
    box.replaceChildren(copy);
    box.querySelector("[data-answer]").focus();
  }
  function sentence(verdict) {
    if (verdict.status === "cccd") return texts.need_online;
    var problem = verdict.problem;
    if (verdict.status === "unreadable" && problem) {
      var key = problem.part ? problem.reason + ":" + problem.part : problem.reason || problem.code;
      if (texts.problem[key]) return texts.problem[key];
    }
    return texts.status[verdict.status] || "";
  }
  function offlineRows(verdict) {
    var card = verdict.card || {};
    var validity = card.valid_to ? day(card.valid_from) + " – " + day(card.valid_to)
      : card.valid_from ? say(texts.from, { day: day(card.valid_from) }) : "";
    var today = verdict.valid_today;
    var own = card.facility ? card.facility === form.dataset.facility : null;
    return {
      say: sentence(verdict),
      name: card.full_name || (verdict.cccd || {}).full_name || "",
      birth: card.birth || "",
      sex: texts.sex[String(card.sex)] || "",
      number: card.number || "",
      level: card.benefit_level ? card.benefit_level + " (" + card.percent + "%)" : "",
      validity: validity,
      today: today == null ? "" : today ? texts.valid_today : texts.invalid_today,
      facility: card.facility_printed || "",
      own: own == null ? "" : own ? texts.own_yes : texts.own_no,
      five_years: day(card.five_years_on),
      registry: "", as_of: "", checkin: ""
    };
  }
  function offline(text, key) {
    var trust = load(TRUST, null);
    var keys = trust ? trust.keys : { keys: [] };
    var revocations = trust ? trust.revocations : { version: 0, revoked: {} };
    return window.VssVerdict.verdict(text, keys, revocations, todayISO()).then(function (verdict) {
      var rows = offlineRows(verdict);
      var notes = (verdict.repairs || []).map(function (r) { return texts.repair[r]; }).filter(Boolean);
      notes.push(texts.offline);
      if (!trust) notes.push(texts.no_trust);
      else {
        notes.push(say(texts.trust_age, { when: clock(trust.fetched_at) }));
        if (Date.now() - trust.fetched_at > DAY_MS) notes.push(texts.stale);
      }
      var card = verdict.card;
      if (card && verdict.status !== "unreadable") {
        var queue = load(QUEUE, []);
        queue.push({ key: key, qr: text, card_number: card.number, bhxh_code: card.bhxh_code,
          status: verdict.status, scanned_at: new Date().toISOString(), offline: true });
        save(QUEUE, queue);
        rows.checkin = texts.queued;
        showQueue();
      }
      var tone = verdict.status === "valid" ? "tone-ok"
        : verdict.status === "unsigned" && verdict.valid_today ? "tone-warn" : "tone-bad";
      draw(rows, tone, notes.join(" "));
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = field.value;
    var key = uuid();
    var body = new FormData(form);
    body.set("key", key);
    field.value = "";
    withTimeout(form.action, { method: "POST", body: body, headers: { "HX-Request": "true", "X-CSRFToken": csrf } })
      .then(function (r) {
        if (r.redirected || r.status === 401 || r.status === 403) { location.reload(); return; }
        if (!(r.ok || r.status === 422)) throw new Error(r.status);
        return r.text().then(function (html) {
          box.innerHTML = html;
          var answer = box.querySelector("[data-answer]");
          if (answer) answer.focus();
          sync();
        });
      })
      .catch(function () { return offline(text, key); })
      .finally(function () { field.focus(); });
  });

  // A USB scanner types wherever the focus is: keep it on the field.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target === field || event.ctrlKey || event.altKey || event.metaKey) return;
    if (target.matches && target.matches("input, textarea, select, button, a")) return;
    if (event.key.length === 1) field.focus();
  });

  window.addEventListener("online", function () { refreshTrust(); sync(); });
  setInterval(sync, 20000);
  setInterval(refreshTrust, 10 * 60 * 1000);
  refreshTrust();
  sync();
  showQueue();
  if ("serviceWorker" in navigator && form.dataset.worker) {
    navigator.serviceWorker.register(form.dataset.worker, { scope: form.dataset.scope }).catch(function () {});
  }
})();

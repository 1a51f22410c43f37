/* The kiosk's verdict on a scanned card QR, in the browser (offline): the same answer as
   vss/kiosk/verdict.py, step for step — cleaning (vss/cards/qrclean.py), reading
   (cardqr.py, cccdqr.py), the signature (cardverify.py, here with WebCrypto). Change them
   together; tests/test_verdict.py holds both to the same samples.
   window.VssVerdict = {clean(text) -> {text, repairs, problem},
                        verdict(text, keys, revocations, todayISO) -> Promise<verdict>} */
(function () {
  "use strict";

  var MAX_CHARS = 4096, MAX_FIELDS = 24;
  var US = "";
  for (var c = 32; c < 127; c++) US += String.fromCharCode(c);
  // What each US key press (in US order) types on another layout; \0 is a dead key.
  var LAYOUTS = {
    fr: " 1%3457\u00f9908+;):!\u00e0&\u00e9\"'(-\u00e8_\u00e7Mm.=/\u00a72QBCDEFGHIJKL?NOPARSTUVZXYW" +
      "\0*$6\u00b0\u00b2qbcdefghijkl,noparstuvzxyw\0\u00b5\u00a3\0",
    de: " !\u00c4\u00a7$%/\u00e4)=(\0,\u00df.-0123456789\u00d6\u00f6;\0:_\"ABCDEFGHIJKLMNOPQRSTUVWXZY" +
      "\u00fc#+&?\0abcdefghijklmnopqrstuvwxzy\u00dc'*\u00b0",
    gb: " !@\u00a3$%&'()*+,-./0123456789:;<=>?\"ABCDEFGHIJKLMNOPQRSTUVWXYZ[#]^_`" +
      "abcdefghijklmnopqrstuvwxyz{~}\u00ac"
  };
  var INVERSE = {};
  Object.keys(LAYOUTS).forEach(function (name) {
    var map = new Map(), typed = LAYOUTS[name];
    for (var i = 0; i < US.length; i++) if (typed[i] !== "\0") map.set(typed[i], US[i]);
    INVERSE[name] = map;
  });

  // Windows-1252's characters for the bytes 0x80-0x9F (the five it leaves undefined as C1 codes).
  var CP1252 = "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f" +
    "\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178";
  var INVISIBLE = /[\ufeff\u200b\u200c\u200d\u2060]/g;
  var CONTROL = /[\x00-\x1f\x7f]/, UNPRINTABLE = /[\x00-\x1f\x7f-\x9f]/;
  var AIM = /^\][A-Za-z][0-9A-Za-z]/;
  var CARD_START = /^(?:[A-Za-z]{2}[1-5][0-9]{12}|[0-9]{10}|[0-9]{12})\|/;
  var VIETNAMESE = /[\u00c0-\u00ff\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]/;
  var NUMBER = /^(?:[A-Z]{2}[1-5][0-9]{12}|[0-9]{10})$/;
  var CARD_PREFIX = /^(?:[A-Za-z]{2}[1-5][0-9]{12}|[0-9]{10})\|/;
  var HEX = /^[0-9A-Fa-f]+$/, ALNUM = /^[A-Za-z0-9]+$/;
  var DATE = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/;
  var BIRTH = /^(?:([0-9]{2})\/([0-9]{2})\/)?([0-9]{4})$/;
  var FACILITY = /^([0-9]{2}) {0,3}-? {0,3}([0-9A-Za-z]{3})$/;
  var CCCD_DATE = /^([0-9]{2})\/?([0-9]{2})\/?([0-9]{4})$/;
  var SEXES = {nam: 1, "n\u1eef": 2, nu: 2};
  var PERCENT = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100};
  var SIGNATURE = /^([A-Z2-7]{6})\.([0-9]+)\.([\s\S]*)$/, VERSION = /^(?:0|[1-9][0-9]{0,8})$/;
  var RAW = /^[A-Za-z0-9_-]{85}[AQgw]$/, VSS_KID = /^([A-Za-z2-7]{6})\.[0-9]+\./;
  var VSS_SIGNED = /^[A-Za-z2-7]{6}\.[0-9]+\.([A-Za-z0-9_-]{80,90})$/;
  var DECODER = new TextDecoder("utf-8", {fatal: true, ignoreBOM: true});

  function QrError(reason, part) { this.reason = reason; this.part = part || null; }
  function fail(reason, part) { throw new QrError(reason, part); }
  function count(text, char) { return text.split(char).length - 1; }
  function codePoints(text) {  // Python's len()
    if (text.length > 2 * MAX_CHARS) return text.length;
    return Array.from(text).length;
  }
  // Characters off both ends, by a loop: a regex's " +$" takes quadratic time on long runs.
  function strip(text, edge) {
    var a = 0, b = text.length;
    while (a < b && edge(text.charCodeAt(a))) a++;
    while (b > a && edge(text.charCodeAt(b - 1))) b--;
    return text.slice(a, b);
  }
  function isSpace(code) { return code === 32; }
  function isEdge(code) { return code <= 32 || code === 127; }  // control characters and spaces
  function trim(value) { return strip(value || "", isSpace); }
  function pad(n, width) { n = String(n); while (n.length < width) n = "0" + n; return n; }
  function calendarDay(d, m, y) {  // ISO date, or null
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
    var t = new Date(Date.UTC(y, m - 1, d));
    if (t.getUTCDate() !== d || t.getUTCMonth() !== m - 1) return null;
    return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2);
  }
  function ints(match) { return [+match[1], +match[2], +match[3]]; }
  function tidy(text, part, reason) {
    text = text.replace(INVISIBLE, "").normalize("NFC");
    if (UNPRINTABLE.test(text)) fail(reason || "bad_field", part);
    return trim(text) || null;
  }

  // --- cleaning (qrclean.py) -------------------------------------------------------------
  function stripAim(text) { return AIM.test(text) ? [text.slice(3), true] : [text, false]; }

  function stripNoise(text) {
    text = text || "";
    var repairs = [];
    if (codePoints(text) > MAX_CHARS) fail("too_long");
    if (text.indexOf("\0") >= 0) {
      if (count(text, "\0") * 3 >= codePoints(text)) {
        text = text.split("\0").join(""); repairs.push("utf16");
      } else {
        text = text.slice(0, text.indexOf("\0")); repairs.push("nul");
      }
    }
    var utf8 = undoMojibake(text);
    if (utf8 !== null) { text = utf8; repairs.push("mojibake"); }
    if (text.search(INVISIBLE) >= 0) { text = text.replace(INVISIBLE, ""); repairs.push("invisible"); }
    text = strip(text, isEdge);
    if (/[\r\n]/.test(text)) {
      var lines = text.split(/[\r\n]+/).filter(function (line) { return strip(line, isEdge); });
      if (lines.length > 1) fail("two_codes");
      text = lines.length ? strip(lines[0], isEdge) : "";
    }
    if (!text) fail("empty");
    var aim = stripAim(text);
    text = aim[0];
    if (aim[1]) repairs.push("aim_prefix");
    if (CONTROL.test(text)) fail("not_a_card");
    return [text, repairs];
  }

  function undoMojibake(text) {  // UTF-8 bytes that were read as Windows-1252 or Latin-1
    var data = [], foreign = false, at;
    for (var char of text) {
      var code = char.codePointAt(0);
      if (code < 0x100) { data.push(code); foreign = foreign || code >= 0x80; }
      else if ((at = CP1252.indexOf(char)) >= 0) { data.push(0x80 + at); foreign = true; }
      else return null;
    }
    if (!foreign) return null;
    var result;
    try { result = DECODER.decode(new Uint8Array(data)); } catch (e) { return null; }
    return result === text ? null : result;
  }

  function undoLayout(text, layout) {
    var inverse = INVERSE[layout], out = "", passed = false, own = false;
    for (var char of text) {
      if (inverse.has(char)) { out += inverse.get(char); own = own || char > "\x7f"; }
      else if (char > "\x7f") { out += char; passed = true; }
      else return null;
    }
    if (passed && own) return null;
    return out === text ? null : out;
  }

  function looksLikeLayout(text) {
    if (CARD_START.test(text)) return false;
    return Object.keys(LAYOUTS).some(function (layout) {
      var guess = "";
      for (var char of text) guess += INVERSE[layout].has(char) ? INVERSE[layout].get(char) : char;
      return CARD_START.test(stripAim(guess)[0]);
    });
  }

  function looksLikeIme(text) {
    return VIETNAMESE.test(text) && !/^[0-9]{12}\|/.test(text) && count(text, "|") >= 5;
  }

  function swapCase(text) {
    return text.replace(/[A-Za-z]/g, function (ch) {
      return ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
    });
  }

  // --- reading (cardqr.py, cccdqr.py) ------------------------------------------------------
  function hexText(value, part, required) {
    value = trim(value);
    var text = null;
    if (value !== "" && value !== "-") {
      if (!HEX.test(value) || value.length % 2) fail("bad_field", part);
      var bytes = new Uint8Array(value.length / 2);
      for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
      try { text = DECODER.decode(bytes); } catch (e) { fail("bad_field", part); }
      text = tidy(text, part);
    }
    if (required && !text) fail("bad_field", part);
    return text;
  }

  function date(value, part) {
    value = trim(value);
    if (value === "" || value === "-") return null;
    var match = DATE.exec(value), day = match && calendarDay.apply(null, ints(match));
    if (!day) fail("bad_field", part);
    return day;
  }

  function birth(value) {
    value = trim(value);
    var match = BIRTH.exec(value);
    if (!match || +match[3] < 1900 || +match[3] > 2100) fail("bad_field", "birth");
    if (match[1] !== undefined) {
      var day = +match[1], month = +match[2];
      if ((day && !calendarDay(day, month, +match[3])) || (!day && month > 12)) fail("bad_field", "birth");
    }
    return value;
  }

  function sex(value) {
    value = trim(value);
    if (["1", "2", "", "-"].indexOf(value) < 0) fail("bad_field", "sex");
    return value === "1" || value === "2" ? +value : null;
  }

  function facility(value) {
    value = trim(value);
    if (value === "" || value === "-") return null;
    var place = FACILITY.exec(value);
    if (!place) fail("bad_field", "facility");
    return place[1] + " - " + place[2].toUpperCase();
  }

  function raw(parts, index) {
    var value = index < parts.length ? trim(parts[index]) : "";
    return value === "" || value === "-" ? null : value;
  }
  function at(parts, index) { return index < parts.length ? parts[index] : ""; }

  function readBhyt(text) {
    var dollar = text.indexOf("$");
    if (dollar < 0) {
      if (ALNUM.test(text) && NUMBER.test(text.toUpperCase())) fail("number_only");
      fail(CARD_PREFIX.test(text) ? "truncated" : "not_a_card");
    }
    var rest = text.slice(dollar + 1);
    if (rest) fail(rest.indexOf("|") >= 0 ? "two_codes" : "trailing");
    var parts = text.slice(0, dollar).split("|");
    if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    if (parts.length < 9) fail(parts.length > 1 && CARD_PREFIX.test(text) ? "too_few_fields" : "not_a_card");
    if (parts.length > MAX_FIELDS) fail("not_a_card");
    var number = ALNUM.test(trim(parts[0])) ? trim(parts[0]).toUpperCase() : "";
    if (!NUMBER.test(number)) fail("bad_field", "number");
    return {
      kind: "bhyt", number: number, full_name: hexText(parts[1], "full_name", true),
      birth: birth(parts[2]), sex: sex(parts[3]), address: hexText(parts[4], "address"),
      facility: facility(parts[5]), valid_from: date(parts[6], "valid_from"),
      valid_to: date(parts[7], "valid_to"), issued_on: date(parts[8], "issued_on"),
      management_code: raw(parts, 9), parent_name: hexText(at(parts, 10), "parent_name"),
      area_code: raw(parts, 11), five_years_on: date(at(parts, 12), "five_years_on"),
      check: raw(parts, 13), fields: parts, issue_place: hexText(at(parts, 15), "issue_place")
    };
  }

  function cccdDate(value, part, required) {
    value = trim(value);
    var match = CCCD_DATE.exec(value), day = match && calendarDay.apply(null, ints(match));
    if ((value || required) && !day) fail("bad_cccd_field", part);
    return day || null;
  }

  function readCccd(text) {
    var parts = text.split("|");
    if (parts.length < 7) fail("truncated");
    var cmnd = trim(parts[1]) || null;
    if (cmnd && !/^(?:[0-9]{9}|[0-9]{12})$/.test(cmnd)) fail("bad_cccd_field", "cmnd");
    var name = tidy(parts[2], "full_name", "bad_cccd_field");
    if (!name || /[0-9]/.test(name)) fail("bad_cccd_field", "full_name");
    var birthDate = cccdDate(parts[3], "birth", true);
    var sexText = tidy(parts[4], "sex", "bad_cccd_field");
    if (sexText && !Object.prototype.hasOwnProperty.call(SEXES, sexText.toLowerCase())) fail("bad_cccd_field", "sex");
    var address = tidy(parts[5], "address", "bad_cccd_field");
    if (/[?\ufffd]/.test(name + (address || ""))) fail("no_unicode");
    return {
      kind: "cccd", cccd: parts[0], cmnd: cmnd, full_name: name, birth_date: birthDate,
      sex: sexText ? SEXES[sexText.toLowerCase()] : null,
      address: address, issued_on: cccdDate(parts[6], "issued_on")
    };
  }

  function either(text) {
    if (/^[0-9]{12}\|/.test(text)) return readCccd(text);
    if (/^(?:[0-9]{9}|[0-9]{12})$/.test(text)) fail("number_only");
    return readBhyt(text);
  }

  function otherLayout(text, error) {
    var found = [];
    Object.keys(LAYOUTS).forEach(function (layout) {
      var candidate = undoLayout(text, layout);
      if (candidate === null) return;
      var aim = stripAim(candidate);
      try { found.push([aim[0], either(aim[0]), layout, aim[1]]); } catch (e) { if (!(e instanceof QrError)) throw e; }
    });
    if (found.length === 1) return found[0];
    if (found.length || looksLikeLayout(text)) fail("keyboard_layout");
    if (looksLikeIme(text)) fail("input_method");
    throw error;
  }

  function capslock(fields) {
    var kid = VSS_KID.exec(trim(at(fields, 13)));
    if (kid) return /^[a-z2-7]*[a-z][a-z2-7]*$/.test(kid[1]);
    return /^[a-z]{2}[1-5]/.test(trim(fields[0]));
  }

  function caseLost(fields) {  // a scanner forced the case of a VSS signature (see cardqr.py)
    var signed = VSS_SIGNED.exec(trim(at(fields, 13)));
    return !!signed && (signed[1].toUpperCase() === signed[1] || signed[1].toLowerCase() === signed[1]);
  }

  function read(text) {
    var cleaned = stripNoise(text), qr, repairs = cleaned[1];
    text = cleaned[0];
    try { qr = either(text); } catch (error) {
      if (!(error instanceof QrError)) throw error;
      var found = otherLayout(text, error);
      text = found[0]; qr = found[1];
      repairs.push("layout_" + found[2]);
      if (found[3]) repairs.push("aim_prefix");
    }
    if (qr.kind === "bhyt" && capslock(qr.fields)) {
      text = swapCase(text); qr = readBhyt(text); repairs.push("capslock");
    }
    if (qr.kind === "bhyt" && caseLost(qr.fields)) fail("case_changed");
    return [text, qr, repairs];
  }

  function clean(text) {
    try {
      var found = read(text);
      return {text: found[0], repairs: found[2], problem: null};
    } catch (error) {
      if (!(error instanceof QrError)) throw error;
      return {text: null, repairs: [], problem: {code: "unreadable", reason: error.reason, part: error.part}};
    }
  }

  // --- the signature (cardverify.py) -------------------------------------------------------
  var publicKeys = new Map();  // PEM -> Promise<CryptoKey|null>, imported once

  function publicKey(pem) {
    if (!publicKeys.has(pem)) {
      var body = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), der;
      try { der = Uint8Array.from(atob(body), function (ch) { return ch.charCodeAt(0); }); }
      catch (e) { der = new Uint8Array(0); }
      publicKeys.set(pem, crypto.subtle.importKey("spki", der, {name: "ECDSA", namedCurve: "P-256"}, false, ["verify"])
        .catch(function () { return null; }));
    }
    return publicKeys.get(pem);
  }

  function signedBy(qr) {
    var found = SIGNATURE.exec(qr.check || "");
    return found ? [found[1], found[2], found[3]] : null;
  }

  // Resolves to null (VSS's signature holds) or the VerifyError code.
  async function checkSignature(qr, keys, revocations) {
    var signed = signedBy(qr);
    if (!signed) return "unsigned";
    var kid = signed[0], version = signed[1];
    var listed = keys && Array.isArray(keys.keys) ? keys.keys : [];
    var entry = listed.find(function (k) { return k && typeof k === "object" && k.kid === kid; });
    var key = entry && typeof entry.pem === "string" ? await publicKey(entry.pem) : null;
    if (!key) return "unknown_key";
    if (!VERSION.test(version) || !RAW.test(signed[2])) return "tampered";
    var signature = Uint8Array.from(atob(signed[2].replace(/-/g, "+").replace(/_/g, "/") + "=="),
      function (ch) { return ch.charCodeAt(0); });
    var message = new TextEncoder().encode(qr.fields.slice(0, 13).join("|") + "|" + kid + "." + version);
    var good = await crypto.subtle.verify({name: "ECDSA", hash: "SHA-256"}, key, signature, message);
    if (!good) return "tampered";
    var revoked = (revocations && revocations.revoked) || {};
    var entryRevoked = Object.prototype.hasOwnProperty.call(revoked, qr.number) ? revoked[qr.number] : null;
    var minimum = entryRevoked && typeof entryRevoked === "object" ? entryRevoked.min_version : null;
    if (Number.isInteger(minimum) && +version < minimum) return "revoked";
    return null;
  }

  // --- the verdict (vss/kiosk/verdict.py) ------------------------------------------------------
  function answer(status, given) {
    var out = {status: status, signature: null, valid_today: null, problem: null, kind: null,
      card: null, cccd: null, repairs: []};
    Object.keys(given || {}).forEach(function (key) { out[key] = given[key]; });
    return out;
  }

  function card(qr) {
    var signed = signedBy(qr), long = qr.number.length === 15, level = long ? +qr.number[2] : null;
    return {
      number: qr.number, bhxh_code: qr.number.slice(-10), full_name: qr.full_name, birth: qr.birth,
      sex: qr.sex, address: qr.address, facility: qr.facility && qr.facility.replace(" - ", ""),
      facility_printed: qr.facility, group: long ? qr.number.slice(0, 2) : null, benefit_level: level,
      percent: long ? PERCENT[level] : null, valid_from: qr.valid_from, valid_to: qr.valid_to,
      issued_on: qr.issued_on, five_years_on: qr.five_years_on, management_code: qr.management_code,
      parent_name: qr.parent_name, area_code: qr.area_code, issue_place: qr.issue_place,
      kid: signed ? signed[0] : null,
      version: signed && VERSION.test(signed[1]) ? +signed[1] : null
    };
  }

  async function verdict(text, keys, revocations, today) {
    var found;
    try { found = read(text); } catch (error) {
      if (!(error instanceof QrError)) throw error;
      return answer("unreadable", {problem: {code: "unreadable", reason: error.reason, part: error.part}});
    }
    var qr = found[1], repairs = found[2];
    if (qr.kind === "cccd") {
      return answer("cccd", {signature: "none", kind: "cccd", repairs: repairs, cccd: {
        cccd: qr.cccd, cmnd: qr.cmnd, full_name: qr.full_name, birth_date: qr.birth_date, sex: qr.sex,
        address: qr.address, issued_on: qr.issued_on}});
    }
    var code = await checkSignature(qr, keys, revocations);
    var signature = code === null ? "vss" : code === "unsigned" ? "none" : code;
    var out = answer(signature, {signature: signature, kind: "bhyt", card: card(qr), repairs: repairs,
      problem: code === null ? null : {code: code, reason: null, part: null}});
    if (signature !== "vss" && signature !== "none") return out;
    var early = !!(qr.valid_from && today < qr.valid_from), late = !!(qr.valid_to && today > qr.valid_to);
    out.valid_today = !(early || late);
    out.status = early ? "not_yet_valid" : late ? "expired" : signature === "none" ? "unsigned" : "valid";
    return out;
  }

  window.VssVerdict = {clean: clean, verdict: verdict};
})();

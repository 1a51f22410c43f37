// VSS camera QR scanner: see templates/components/scanner.html (why and how) and README.
// app.js loads it at the first tap on "Quét bằng camera" and calls vssScanner(box); a page may
// also load it itself. The decoder it may need is loaded only then too.
(function () {
  "use strict";
  var media = navigator.mediaDevices, run = null, reading = null;
  if (window.vssScanner || !media || !media.getUserMedia) return;
  window.vssScanner = start;
  document.documentElement.classList.add("camera"); // shows the macro's button

  function part(box, name) { return box.querySelector(".scan-" + name); }
  function say(box, key) { part(box, "status").textContent = key ? box.dataset[key] : ""; }
  function end(stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }

  function stop() {
    if (!run) return;
    clearTimeout(run.timer);
    clearTimeout(run.hint);
    if (run.stream) end(run.stream);
    part(run.box, "video").srcObject = null;
    run.box.classList.remove("on");
    run = null;
  }

  // A promise of read(video): the text of a QR code in the frame, "" if none (or a promise).
  function reader(box) {
    reading = reading || (window.BarcodeDetector ? BarcodeDetector.getSupportedFormats() : Promise.resolve([]))
      .then(function (formats) {
        if (formats.indexOf("qr_code") < 0) return vendored(box.dataset.decoder);
        var detector = new BarcodeDetector({ formats: ["qr_code"] });
        return function (video) {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
        };
      });
    reading.catch(function () { reading = null; }); // a failed load is tried again
    return reading;
  }
  function vendored(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function () {
      var canvas = document.createElement("canvas"), context = canvas.getContext("2d", { willReadFrequently: true });
      return function (video) {
        var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight)); // quick, still sharp
        var width = canvas.width = Math.round(video.videoWidth * scale);
        var height = canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, width, height);
        try { return window.vssDecodeQR(context.getImageData(0, 0, width, height)); } catch (none) { return ""; }
      };
    });
  }

  function start(box) {
    stop();
    var current = run = { box: box };
    media.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      if (run !== current) return end(stream);
      var video = part(box, "video"), playing;
      current.stream = video.srcObject = stream;
      playing = video.play();
      if (playing) playing.catch(function () {}); // older browsers return nothing
      box.classList.add("on");
      part(box, "stop").focus();
      say(box, "scanning");
      current.hint = setTimeout(say, 15000, box, "notfound");
      return reader(box).then(function (read) {
        current.read = read;
        look(current);
      }, function () {
        if (run === current) { stop(); say(box, "nocamera"); }
      });
    }, function (error) {
      if (run !== current) return;
      stop();
      say(box, /NotAllowed|Security/.test(error.name) ? "denied" : "nocamera");
    });
  }

  function look(current) {
    var box = current.box, video = part(box, "video");
    if (run !== current) return;
    if (!document.contains(box)) return stop(); // swapped away by htmx
    Promise.resolve(video.readyState > 1 ? current.read(video) : "").catch(function () { return ""; })
      .then(function (text) {
        if (run !== current) return;
        if (!text) return (current.timer = setTimeout(look, 200, current));
        var field = document.getElementById(box.dataset.field), submit = box.dataset.submit;
        stop();
        field.value = text;
        if (submit === "form") (field.form.requestSubmit || field.form.submit).call(field.form);
        else if (submit) document.getElementById(submit).click(); // htmx sees which button
        else field.focus();
      });
  }

  function cancel(box) {
    stop();
    say(box, "");
    part(box, "open").focus();
  }
  document.addEventListener("click", function (event) {
    var box = event.target.closest && event.target.closest("[data-scanner]");
    if (box && event.target.closest(".scan-open")) start(box);
    if (box && event.target.closest(".scan-stop")) cancel(box);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && run) cancel(run.box);
  });
  document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
  window.addEventListener("pagehide", stop);
})();

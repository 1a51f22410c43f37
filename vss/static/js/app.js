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
})();

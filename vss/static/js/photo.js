// Photo step: shrink camera photos in the browser before upload (a 4 MB photo goes up as a
// few hundred KB) and show upload progress. Without JavaScript the originals are uploaded and
// the server shrinks them.
(function () {
  "use strict";
  var MAX_SIDE = 1600, QUALITY = 0.8;

  function shrink(input) {
    var file = input.files && input.files[0];
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
      }, "image/jpeg", QUALITY);
    }).catch(function () { /* the server will shrink it */ });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("form.photos input[type=file]")) shrink(event.target);
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = document.getElementById("upload-progress");
    if (!bar || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round(event.detail.loaded / event.detail.total * 100);
  });
})();

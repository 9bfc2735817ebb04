/* Edit profile: preview the chosen avatar before saving (the server re-encodes it anyway). */
(function () {
  "use strict";

  var input = document.querySelector("input[type=file][data-avatar-input]");
  var preview = document.querySelector("[data-avatar-preview]");
  if (!input || !preview) return;

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file || file.type.indexOf("image/") !== 0) return;
    var image = document.createElement("img");
    image.className = "avatar avatar-88";
    image.width = 88;
    image.height = 88;
    image.alt = "";
    image.src = URL.createObjectURL(file);
    image.addEventListener("load", function () { URL.revokeObjectURL(image.src); });
    preview.replaceChildren(image);
  });
})();

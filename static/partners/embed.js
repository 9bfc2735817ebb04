/* Inside the widget's iframe: tell the partner's page our height, and only that page. */
(function () {
  "use strict";
  var body = document.body;
  var parentOrigin = body.getAttribute("data-parent-origin");
  var id = body.getAttribute("data-widget-id");
  if (!parentOrigin || !id || window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "redbook:resize", id: id, height: height }, parentOrigin);
  }
  report();
  window.addEventListener("load", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  var images = document.images;
  for (var i = 0; i < images.length; i++) images[i].addEventListener("load", report);
})();

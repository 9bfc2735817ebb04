/* RedBook partner widget. On a partner's page:
 *   <div data-redbook-gtin="6901234567892" data-redbook-partner="your-public-id" data-redbook-lang="zh"></div>
 *   <script async src="https://redbook.example/embed/widget.js"></script>
 * Each such element gets an iframe of RedBook's notes about that product. The iframe
 * tells its height by postMessage; only messages from RedBook's origin, sent by that very
 * iframe, resize it. No cookies, no third-party requests, nothing read from the page. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.URLSearchParams) return;
  var base = new URL(script.src, window.location.href).origin;
  var frames = {};
  var count = 0;
  var MIN_HEIGHT = 60;
  var MAX_HEIGHT = 2000;

  function mount(el) {
    if (el.getAttribute("data-redbook-mounted")) return;
    var gtin = el.getAttribute("data-redbook-gtin");
    var partner = el.getAttribute("data-redbook-partner");
    if (!gtin || !partner) return;
    el.setAttribute("data-redbook-mounted", "1");
    count += 1;
    var id = "rb" + count;
    var params = new URLSearchParams({ partner: partner, origin: window.location.origin, id: id });
    var lang = el.getAttribute("data-redbook-lang");
    if (lang) params.set("lang", lang);
    var iframe = document.createElement("iframe");
    iframe.src = base + "/embed/products/" + encodeURIComponent(gtin) + "/?" + params.toString();
    iframe.title = lang && lang.toLowerCase().indexOf("zh") === 0 ? "RedBook 笔记" : "RedBook notes";
    iframe.setAttribute("loading", "lazy");
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    iframe.style.cssText = "display:block;width:100%;height:220px;border:0;overflow:hidden;";
    frames[id] = iframe;
    el.appendChild(iframe);
  }

  function mountAll() {
    var nodes = document.querySelectorAll("[data-redbook-gtin]");
    for (var i = 0; i < nodes.length; i++) mount(nodes[i]);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== base) return;
    var data = event.data;
    if (!data || data.type !== "redbook:resize") return;
    var iframe = frames[data.id];
    if (!iframe || event.source !== iframe.contentWindow) return;
    var height = Math.ceil(Number(data.height) || 0);
    iframe.style.height = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, height)) + "px";
  });

  mountAll();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
})();

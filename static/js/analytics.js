/* Product links in notes: tell RedBook which note a shopper came from (attribution).
 *
 * A link carrying data-rb-click (the click endpoint) and data-rb-note (the note id)
 * posts the click with `keepalive`, so it is delivered even as the browser follows the
 * link; the navigation itself is never delayed or prevented. Without script the link
 * still works, only the click is not counted.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-rb-click]") : null;
    if (!link) return;
    try {
      fetch(link.getAttribute("data-rb-click"), {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify({ note_id: link.getAttribute("data-rb-note") }),
      }).catch(function () {});
    } catch (e) {
      /* an old browser without fetch: the link works, the click is not counted */
    }
  });
})();

/* Home tabs (Explore, Follow, Nearby): infinite scroll, "not interested", reasons on long press,
 * and the Nearby location prompt. Uses window.RedBook from app.js.
 *
 * Infinite scroll asks the same page for its next cards (?cursor=…&partial=1, the API's
 * cursor): the cards come back rendered and escaped by the server's templates.
 */
(function () {
  "use strict";

  var LONG_PRESS_MS = 500;

  function nextCursor(root) {
    var marker = root.querySelector("template.feed-next:last-of-type");
    return marker ? marker.dataset.cursor : "";
  }

  function setupInfiniteScroll() {
    var grid = document.querySelector("[data-feed-grid]");
    var sentinel = document.querySelector("[data-feed-sentinel]");
    if (!grid || !sentinel || !("IntersectionObserver" in window)) return;
    var loading = false;

    function loadMore() {
      var cursor = nextCursor(grid);
      if (loading || !cursor) return;
      loading = true;
      var url = new URL(window.location.href);
      url.searchParams.set("cursor", cursor);
      url.searchParams.set("partial", "1");
      fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.statusText);
          return response.text();
        })
        .then(function (html) {
          grid.querySelectorAll("template.feed-next").forEach(function (old) { old.remove(); });
          grid.insertAdjacentHTML("beforeend", html);
          if (!nextCursor(grid)) {
            sentinel.textContent = sentinel.dataset.doneLabel || "";
            observer.disconnect();
          }
        })
        .catch(function () { /* keep the "More" link: a plain navigation still works */ })
        .then(function () { loading = false; });
    }

    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) loadMore();
    }, { rootMargin: "800px 0px" });
    observer.observe(sentinel);
  }

  /* "Not interested": tell the API, then fold the card away. */
  window.RedBook.actions.register("not-interested", function (button) {
    return window.RedBook.api("feeds/not-interested/", {
      method: "POST",
      body: { note_id: Number(button.dataset.noteId) },
    }).then(function () {
      var item = button.closest(".feed-item");
      if (item) item.remove();
    });
  });

  /* Long press on a card (touch screens) reveals its reason and the "not interested" button. */
  function setupLongPress() {
    var timer = null;
    document.addEventListener("touchstart", function (event) {
      var item = event.target.closest(".feed-item");
      if (!item) return;
      timer = window.setTimeout(function () {
        document.querySelectorAll(".feed-item.is-revealed").forEach(function (other) {
          if (other !== item) other.classList.remove("is-revealed");
        });
        item.classList.add("is-revealed");
      }, LONG_PRESS_MS);
    }, { passive: true });
    ["touchend", "touchmove", "touchcancel"].forEach(function (name) {
      document.addEventListener(name, function () { window.clearTimeout(timer); }, { passive: true });
    });
    document.addEventListener("contextmenu", function (event) {
      if (event.target.closest(".feed-item.is-revealed")) event.preventDefault();
    });
  }

  /* Nearby: offer the browser's location; the city picker works without it. */
  function setupNearby() {
    var picker = document.querySelector("[data-nearby-picker]");
    var button = picker && picker.querySelector('[data-action="locate"]');
    if (!button || !("geolocation" in navigator)) return;
    button.hidden = false;
    var status = picker.querySelector("[data-nearby-status]");
    window.RedBook.actions.register("locate", function () {
      return new Promise(function (resolve) {
        status.textContent = button.dataset.locatingLabel || "…";
        navigator.geolocation.getCurrentPosition(function (position) {
          var url = new URL(window.location.href);
          url.search = "";
          url.searchParams.set("lat", position.coords.latitude.toFixed(5));
          url.searchParams.set("lng", position.coords.longitude.toFixed(5));
          window.location.assign(url.toString());
          resolve();
        }, function () {
          status.textContent = button.dataset.deniedLabel || "";
          resolve();
        }, { timeout: 10000, maximumAge: 600000 });
      });
    });
  }

  setupInfiniteScroll();
  setupLongPress();
  setupNearby();
})();

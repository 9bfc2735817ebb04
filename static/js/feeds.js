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

  /* Waterfall in reading order: CSS columns fill top to bottom, so the best-ranked
   * notes would all sit in the first column. With JavaScript each card goes to the
   * shortest column instead, left to right; without it the CSS columns still work. */
  function columnCount(grid) {
    grid.classList.remove("is-columns");
    var count = parseInt(window.getComputedStyle(grid).columnCount, 10) || 2;
    grid.classList.add("is-columns");
    return count;
  }

  function layout(grid) {
    var items = Array.prototype.slice.call(grid.querySelectorAll(".feed-item"));
    var markers = Array.prototype.slice.call(grid.querySelectorAll("template.feed-next"));
    grid.textContent = "";
    var count = columnCount(grid);
    for (var i = 0; i < count; i++) {
      var column = document.createElement("div");
      column.className = "feed-column";
      grid.appendChild(column);
    }
    grid.dataset.columns = String(count);
    place(grid, items);
    markers.forEach(function (marker) { grid.appendChild(marker); });
  }

  function place(grid, items) {
    var columns = grid.querySelectorAll(".feed-column");
    items.forEach(function (item) {
      var shortest = columns[0];
      for (var i = 1; i < columns.length; i++) {
        if (columns[i].offsetHeight < shortest.offsetHeight) shortest = columns[i];
      }
      shortest.appendChild(item);
    });
  }

  function setupColumns(grid) {
    if (!grid) return;
    layout(grid);
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        grid.classList.remove("is-columns");
        var wanted = parseInt(window.getComputedStyle(grid).columnCount, 10) || 2;
        grid.classList.add("is-columns");
        if (String(wanted) === grid.dataset.columns) return;
        // Put the cards back in reading order before laying them out again.
        var items = Array.prototype.slice.call(grid.querySelectorAll(".feed-item"));
        items.sort(function (a, b) { return Number(a.dataset.position) - Number(b.dataset.position); });
        items.forEach(function (item) { grid.appendChild(item); });
        layout(grid);
      }, 150);
    });
  }

  function numberItems(grid) {
    var items = grid.querySelectorAll(".feed-item:not([data-position])");
    var start = grid.querySelectorAll(".feed-item[data-position]").length;
    items.forEach(function (item, i) { item.dataset.position = String(start + i); });
    return Array.prototype.slice.call(items);
  }

  function setupInfiniteScroll() {
    var grid = document.querySelector("[data-feed-grid]");
    var sentinel = document.querySelector("[data-feed-sentinel]");
    if (grid) {
      numberItems(grid);
      setupColumns(grid);
    }
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
          var holder = document.createElement("div");
          holder.innerHTML = html;  // server-rendered, escaped cards (feeds/_items.html)
          var marker = holder.querySelector("template.feed-next");
          var fresh = Array.prototype.slice.call(holder.querySelectorAll(".feed-item"));
          fresh.forEach(function (item) { grid.appendChild(item); });
          numberItems(grid);
          place(grid, fresh);
          if (marker) grid.appendChild(marker);
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

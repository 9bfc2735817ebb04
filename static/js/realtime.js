/* RedBook real time: one WebSocket per tab for the signed-in user (no dependencies).
 *
 * Opens the socket with a one-use ticket (POST /api/v1/realtime/ticket/), reconnects with
 * a growing delay, and re-broadcasts every event as a DOM event on `document`:
 *   "rb:event"    detail = the event ({"type": "message" | "read" | "notification" | "unread", ...})
 *   "rb:connect"  detail = {reconnected: bool}: pages catch up from the API then
 *                 (the socket is only a hint; the database is the record), as the
 *                 messages badge does here.
 * Keeps the header's unread badges ([data-badge-for="messages" | "notifications"]) live.
 */
(function () {
  "use strict";

  var MAX_DELAY = 30000;
  var delay = 1000;
  var opened = false;

  function setBadge(kind, count) {
    document.querySelectorAll('[data-badge-for="' + kind + '"]').forEach(function (link) {
      var badge = link.querySelector(".badge");
      if (count > 0) {
        if (!badge) {
          badge = document.createElement("span");
          badge.className = "badge";
          link.appendChild(badge);
        }
        badge.textContent = String(count);
      } else if (badge) {
        badge.remove();
      }
    });
  }

  function handle(event) {
    if (typeof event.unread_count === "number") {
      setBadge(event.type === "notification" ? "notifications" : "messages", event.unread_count);
    }
    document.dispatchEvent(new CustomEvent("rb:event", { detail: event }));
  }

  function retry() {
    window.setTimeout(connect, delay + Math.random() * 500);
    delay = Math.min(delay * 2, MAX_DELAY);
  }

  function connect() {
    if (!window.WebSocket || !window.RedBook) return;
    window.RedBook.api("realtime/ticket/", { method: "POST" }).then(function (data) {
      var socket = new WebSocket(data.url);
      socket.addEventListener("open", function () {
        delay = 1000;
        // What changed while no socket listened (a page's own first seconds included).
        window.RedBook.api("messages/unread-count/").then(function (data) { setBadge("messages", data.count); }).catch(function () {});
        document.dispatchEvent(new CustomEvent("rb:connect", { detail: { reconnected: opened } }));
        opened = true;
        document.documentElement.dataset.realtime = "open";
      });
      socket.addEventListener("message", function (message) {
        if (message.data === "pong") return;
        try { handle(JSON.parse(message.data)); } catch (error) { /* not ours: ignore */ }
      });
      socket.addEventListener("close", function () {
        document.documentElement.dataset.realtime = "closed";
        retry();
      });
    }).catch(function (error) {
      if (error.status === 401 || error.status === 403) return; // signed out: nothing to listen to
      retry();
    });
  }

  connect();
})();

/* Messages pages, live (static/js/realtime.js delivers the events; no dependencies).
 *
 * Chat ([data-chat]): sends with fetch (an Idempotency-Key per message, so a retried
 * send is one message), appends what arrives, catches up with ?after= on reconnect,
 * marks what it shows as read, and shows read receipts. Without JavaScript the form
 * posts and the page reloads.
 * Inbox ([data-conversation-list]): moves a conversation with a new message to the top.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function request(url, method, body, headers) {
    var allHeaders = Object.assign({ Accept: "application/json", "X-CSRFToken": csrfToken() }, headers || {});
    if (body && !(body instanceof FormData)) {
      allHeaders["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, { method: method, headers: allHeaders, body: body, credentials: "same-origin" }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (data) {
        if (!response.ok) {
          var error = new Error((data && data.detail) || response.statusText);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function formatTime(iso) {
    var lang = document.documentElement.lang || undefined;
    return new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  function shareCard(url, imageUrl, kind, text) {
    var link = el("a", "share-card");
    link.href = url;
    if (imageUrl) {
      var img = el("img");
      img.src = imageUrl; img.alt = ""; img.width = 56; img.height = 56;
      link.appendChild(img);
    }
    var label = el("span");
    label.appendChild(el("span", "share-kind", kind));
    label.appendChild(document.createTextNode(" " + text));
    link.appendChild(label);
    return link;
  }

  function initChat(chat) {
    var log = chat.querySelector("[data-chat-log]");
    var form = chat.querySelector("[data-chat-form]");
    var me = chat.dataset.me;
    var conversationId = Number(chat.dataset.conversationId);
    var labels = chat.dataset;

    function lastId() {
      var items = log.querySelectorAll("[data-message-id]");
      return items.length ? Number(items[items.length - 1].dataset.messageId) : 0;
    }

    function render(message) {
      var mine = message.sender.username === me;
      var item = el("li", "chat-message" + (mine ? " is-mine" : ""));
      item.id = "message-" + message.id;
      item.dataset.messageId = message.id;
      var bubble = el("div", "bubble");
      if (message.body) bubble.appendChild(el("p", "bubble-text", message.body));
      if (message.image) {
        var photo = el("img", "bubble-photo");
        photo.src = message.image.url; photo.alt = labels.labelPhoto;
        photo.width = message.image.width; photo.height = message.image.height;
        bubble.appendChild(photo);
      }
      if (message.note) bubble.appendChild(shareCard(message.note.url, message.note.cover_url, labels.labelNote, message.note.title));
      if (message.product) bubble.appendChild(shareCard(message.product.url, message.product.image, labels.labelProduct, message.product.name));
      item.appendChild(bubble);
      var meta = el("p", "chat-meta muted");
      var time = el("time", "", formatTime(message.created_at));
      time.dateTime = message.created_at;
      meta.appendChild(time);
      meta.appendChild(document.createTextNode(" "));
      if (mine) {
        var receipt = el("span", "read-receipt", labels.labelRead);
        receipt.dataset.read = "";
        receipt.hidden = !message.read_by_other;
        meta.appendChild(receipt);
      } else {
        var report = el("a", "muted", labels.labelReport);
        report.href = "/report/message/" + message.id + "/?next=" + encodeURIComponent(location.pathname);
        report.rel = "nofollow";
        meta.appendChild(report);
      }
      item.appendChild(meta);
      return item;
    }

    function append(message) {
      if (document.getElementById("message-" + message.id)) return false; // pushed and fetched: once
      var empty = log.querySelector("[data-empty]");
      if (empty) empty.remove();
      // Ids increase in commit order per conversation: insert in place, usually at the end.
      var after = null;
      log.querySelectorAll("[data-message-id]").forEach(function (item) {
        if (Number(item.dataset.messageId) > message.id && !after) after = item;
      });
      log.insertBefore(render(message), after);
      log.lastElementChild.scrollIntoView({ block: "end" });
      return true;
    }

    var readUpTo = 0;
    function markRead() {
      var theirs = log.querySelectorAll(".chat-message:not(.is-mine)[data-message-id]");
      if (!theirs.length || document.visibilityState !== "visible") return;
      var newest = Number(theirs[theirs.length - 1].dataset.messageId);
      if (newest <= readUpTo) return;
      readUpTo = newest;
      request(chat.dataset.readUrl, "POST", { up_to: newest }).catch(function () { readUpTo = 0; });
    }

    function catchUp() {
      return request(chat.dataset.messagesUrl + "?after=" + lastId(), "GET").then(function (page) {
        page.results.forEach(append);
        markRead();
        if (page.next) return catchUp();
      });
    }

    function showError(text) {
      var slot = chat.querySelector("[data-chat-error]");
      if (!slot) {
        slot = el("p", "chat-error");
        slot.dataset.chatError = "";
        slot.setAttribute("role", "alert");
        form.parentNode.insertBefore(slot, form);
      }
      slot.textContent = text;
      slot.hidden = !text;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      data.delete("idempotency_key");
      var file = data.get("image");
      if (file && !file.size) data.delete("image");
      if (!String(data.get("body") || "").trim() && !data.get("image")) return;
      var key = form.dataset.pendingKey || (Date.now().toString(36) + Math.random().toString(36).slice(2));
      form.dataset.pendingKey = key; // the same key until it went through: a retry is one message
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      request(chat.dataset.messagesUrl, "POST", data, { "Idempotency-Key": key }).then(function (message) {
        delete form.dataset.pendingKey;
        form.reset();
        showError("");
        append(message);
      }).catch(function (error) {
        showError(error.status ? error.message : labels.labelFailed);
      }).then(function () { button.disabled = false; });
    });

    form.querySelector("textarea").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    document.addEventListener("rb:event", function (event) {
      var data = event.detail;
      if (data.conversation_id !== conversationId) return;
      if (data.type === "message") {
        append(data.message);
        markRead();
      } else if (data.type === "read") {
        log.querySelectorAll(".chat-message.is-mine").forEach(function (item) {
          if (Number(item.dataset.messageId) <= data.up_to) {
            var receipt = item.querySelector("[data-read]");
            if (receipt) receipt.hidden = false;
          }
        });
      }
    });
    document.addEventListener("rb:connect", function (event) {
      if (event.detail.reconnected) catchUp();
    });
    document.addEventListener("visibilitychange", markRead);
    if (log.lastElementChild) log.lastElementChild.scrollIntoView({ block: "end" });
    markRead();
  }

  function initInbox(list) {
    document.addEventListener("rb:event", function (event) {
      var data = event.detail;
      if (data.type !== "message") return;
      var row = list.querySelector('[data-conversation-id="' + data.conversation_id + '"]');
      if (!row) { window.location.reload(); return; } // a new conversation: the server renders it
      var preview = row.querySelector("[data-preview]");
      if (preview && data.message.body) preview.textContent = data.message.body.slice(0, 60);
      if (data.message.sender.username !== list.dataset.me) {
        var badge = row.querySelector("[data-unread]");
        badge.textContent = String(Number(badge.textContent || 0) + 1);
        badge.hidden = false;
        row.classList.add("is-unread");
      }
      list.insertBefore(row, list.firstElementChild);
    });
  }

  var chat = document.querySelector("[data-chat]");
  if (chat) initChat(chat);
  var list = document.querySelector("[data-conversation-list]");
  if (list) initInbox(list);
})();

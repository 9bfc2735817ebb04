/* RedBook shared front-end helpers (no dependencies).
 *
 * window.RedBook.api(path, {method, body, onUploadProgress}) -> Promise<data|null>
 *   fetch against /api/v1/ with the session's CSRF token; JSON in and out, FormData
 *   sent as-is; rejects with an Error carrying .status and .data on a non-2xx, whose
 *   .message is the API's sentences (never a serialised object). With onUploadProgress
 *   (a video upload) it sends by XMLHttpRequest, which reports the upload's progress
 *   (fetch does not): onUploadProgress(fraction sent, 0 to 1).
 * window.RedBook.errorMessage(error, form)
 *   that message with each field error led by the form's label for the field.
 * window.RedBook.actions.register(name, handler)
 *   a click on any [data-action="name"] element calls handler(element, event); when the
 *   handler returns a promise, the element's default (form submit, link) is prevented
 *   and it is marked busy until the promise settles. Without JavaScript the element's
 *   plain form or link still works (progressive enhancement).
 * [data-dialog-open="id"] / [data-dialog-close]: open and close a <dialog>.
 */
(function () {
  "use strict";

  document.documentElement.classList.replace("no-js", "js");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  /* The sentences in an API error body, whatever its shape: {"detail"}, DRF field errors
   * {"field": ["..."]}, and nested ones such as {"images": {"0": ["..."]}}. `label(key)`
   * names a field, or returns "" to leave it unnamed. */
  var COLON = document.documentElement.lang.indexOf("zh") === 0 ? "\uff1a" : ": "; // Chinese: the full-width colon

  function errorSentences(data, label) {
    if (data === null || data === undefined) return [];
    if (typeof data !== "object") return [String(data)];
    if (Array.isArray(data)) {
      return data.reduce(function (all, item) { return all.concat(errorSentences(item, label)); }, []);
    }
    if (typeof data.detail === "string") return [data.detail];
    return Object.keys(data).reduce(function (all, key) {
      var name = label ? label(key) : "";
      return all.concat(errorSentences(data[key], null).map(function (text) { return name ? name + COLON + text : text; }));
    }, []);
  }

  function errorMessage(error, form) {
    if (!error.data || !form) return error.message;
    var sentences = errorSentences(error.data, function (key) {
      var field = form.querySelector('[name="' + CSS.escape(key) + '"]');
      var label = field && (field.labels && field.labels[0] || field.closest("fieldset") && field.closest("fieldset").querySelector("legend"));
      return label ? label.textContent.trim() : "";
    });
    return sentences.join(" ") || error.message;
  }

  function api(path, options) {
    options = options || {};
    var method = (options.method || "GET").toUpperCase();
    var headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    var body = options.body;
    if (body !== undefined && body !== null && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    var url = path.charAt(0) === "/" ? path : "/api/v1/" + path;
    if (options.onUploadProgress) return sendWithProgress(method, url, headers, body, options.onUploadProgress);
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      var parsed = response.status === 204 || !isJson ? Promise.resolve(null) : response.json();
      return parsed.then(function (data) { return settle(response.ok, response.status, response.statusText, data); });
    });
  }

  function settle(ok, status, statusText, data) {
    if (!ok) {
      var error = new Error(errorSentences(data).join(" ") || statusText);
      error.status = status;
      error.data = data;
      throw error;
    }
    return data;
  }

  function sendWithProgress(method, url, headers, body, onUploadProgress) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open(method, url);
      Object.keys(headers).forEach(function (name) { request.setRequestHeader(name, headers[name]); });
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) onUploadProgress(event.loaded / event.total);
      });
      request.upload.addEventListener("load", function () { onUploadProgress(1); }); // sent: processing next
      request.addEventListener("load", function () {
        var isJson = (request.getResponseHeader("Content-Type") || "").indexOf("application/json") !== -1;
        var data = null;
        try { data = isJson && request.status !== 204 ? JSON.parse(request.responseText) : null; } catch (e) { data = null; }
        try { resolve(settle(request.status >= 200 && request.status < 300, request.status, request.statusText, data)); } catch (error) { reject(error); }
      });
      request.addEventListener("error", function () { reject(new Error(request.statusText || "Network error")); });
      request.send(body);
    });
  }

  var handlers = {};
  var actions = {
    register: function (name, handler) { handlers[name] = handler; },
  };

  document.addEventListener("click", function (event) {
    var element = event.target.closest("[data-action]");
    if (!element || !handlers[element.dataset.action] || element.getAttribute("aria-busy") === "true") return;
    var result = handlers[element.dataset.action](element, event);
    if (!result || typeof result.then !== "function") return;
    event.preventDefault();
    element.setAttribute("aria-busy", "true");
    result.catch(function (error) {
      if (error.status === 401) {
        window.location.href = "/accounts/login/?next=" + encodeURIComponent(window.location.pathname);
        return;
      }
      window.alert(error.message);
    }).then(function () {
      element.removeAttribute("aria-busy");
    });
  });

  /* Follow button: toggles through the API, updates every count shown for that user. */
  actions.register("follow-toggle", function (button) {
    var username = button.dataset.username;
    var following = button.dataset.following === "true";
    var path = "users/" + encodeURIComponent(username) + "/follow/";
    return api(path, { method: following ? "DELETE" : "POST" }).then(function (user) {
      following = !following;
      button.dataset.following = String(following);
      button.setAttribute("aria-pressed", String(following));
      button.value = following ? "unfollow" : "follow";
      button.textContent = following ? button.dataset.labelFollowing : button.dataset.labelFollow;
      button.classList.toggle("btn-primary", !following);
      button.classList.toggle("btn-following", following);
      document.querySelectorAll('[data-followers-count="' + CSS.escape(username) + '"]').forEach(function (count) {
        var current = parseInt(count.textContent.replace(/\D/g, ""), 10) || 0;
        var next = user ? user.followers_count : Math.max(current - 1, 0);
        count.textContent = next.toLocaleString(document.documentElement.lang);
      });
    });
  });

  /* Dialogs: [data-dialog-open="id"] opens <dialog id="id"> as a modal (its own plain
   * form or link still works without JavaScript); [data-dialog-close] closes its dialog. */
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-dialog-open]");
    var dialog = opener && document.getElementById(opener.dataset.dialogOpen);
    if (dialog && typeof dialog.showModal === "function") {
      event.preventDefault();
      dialog.showModal();
      return;
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer && closer.closest("dialog")) {
      event.preventDefault();
      closer.closest("dialog").close();
    }
  });

  /* <select data-autosubmit> submits its form on change (the language switch). */
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });

  window.RedBook = { api: api, actions: actions, csrfToken: csrfToken, errorMessage: errorMessage };
})();

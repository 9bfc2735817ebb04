/* Notes pages: like/save/share/re-share and comments without a reload, the carousel,
 * the view counter, and the note form (previews, title counter, product picker).
 * Uses window.RedBook.api / actions from static/js/app.js. All user text is set with
 * textContent, never as HTML.
 */
(function () {
  "use strict";

  var RB = window.RedBook;
  if (!RB) return;

  function setCount(scope, name, value) {
    var el = scope.querySelector('[data-count="' + name + '"]');
    if (el) el.textContent = String(Math.max(0, value));
  }

  function readCount(scope, name) {
    var el = scope.querySelector('[data-count="' + name + '"]');
    return el ? parseInt(el.textContent, 10) || 0 : 0;
  }

  function announce(text) {
    var status = document.querySelector("[data-action-status]");
    if (status) status.textContent = text;
  }

  /* A toggle button: POST when off, DELETE when on; the count follows the server. */
  function toggle(button, path, countName, serverField) {
    var on = button.getAttribute("aria-pressed") === "true";
    return RB.api(path, { method: on ? "DELETE" : "POST" }).then(function (data) {
      button.setAttribute("aria-pressed", String(!on));
      var next = data && serverField in data ? data[serverField] : readCount(button, countName) + (on ? -1 : 1);
      setCount(button, countName, next);
    });
  }

  function confirmed(element) {
    return !element.dataset.confirm || window.confirm(element.dataset.confirm);
  }

  RB.actions.register("note-like", function (button) {
    return toggle(button, "notes/" + button.dataset.noteId + "/like/", "like", "like_count");
  });
  /* --- Save to a board: the dialog lists your boards (or makes one), like a 收藏夹 -------- */
  var saveDialog = document.querySelector("[data-save-dialog]");

  function boardChoice(board, checked) {
    var item = document.createElement("li");
    item.className = "board-choice";
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "board";
    input.value = String(board.id);
    input.id = "board-" + (board.id || "default");
    input.checked = checked;
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = board.name;
    if (board.is_private) {
      var lock = document.createElement("span");
      lock.className = "pill";
      lock.textContent = saveDialog.dataset.privateLabel;
      label.append(" ", lock);
    }
    item.append(input, label);
    return item;
  }

  /* "Saved" (the default board, made on the first save: id "" until then) first, then the rest. */
  function showBoards(boards, currentId) {
    var others = boards.filter(function (board) { return !board.is_default; });
    var saved = boards.filter(function (board) { return board.is_default; })[0] ||
      { id: "", name: saveDialog.dataset.defaultLabel, is_private: false };
    var list = saveDialog.querySelector("[data-board-choices]");
    list.replaceChildren();
    [saved].concat(others).forEach(function (board) {
      list.append(boardChoice(board, currentId ? String(board.id) === currentId : board === saved));
    });
  }

  function saveError(text) {
    var error = saveDialog.querySelector("[data-save-error]");
    error.textContent = text || "";
    error.hidden = !text;
  }

  /* The chosen board's id, creating the new board first when that is the choice. */
  function chosenBoard(form) {
    var choice = form.querySelector('input[name="board"]:checked');
    if (choice.value !== "new") {
      return Promise.resolve({ id: choice.value || null, name: choice.labels[0].firstChild.textContent });
    }
    return RB.api("collections/", {
      method: "POST",
      body: {
        name: form.querySelector("[data-new-board-name]").value,
        is_private: form.querySelector("[data-new-board-private]").checked,
      },
    });
  }

  function apiMessage(error) {
    var data = error.data || {};
    if (data.detail) return data.detail;
    var first = Object.keys(data)[0];
    return first && Array.isArray(data[first]) ? data[first][0] : error.message;
  }

  RB.actions.register("note-save", function (button) {
    var path = "notes/" + button.dataset.noteId + "/save/";
    if (!saveDialog) return toggle(button, path, "save", "save_count");  // signed out: the API says 401
    return RB.api("collections/?page_size=50").then(function (data) {
      showBoards(data.results, button.dataset.collectionId);
      saveDialog.querySelector("[data-save-remove]").hidden = button.getAttribute("aria-pressed") !== "true";
      saveDialog.querySelector("[data-new-board-name]").value = "";
      saveError("");
      saveDialog.saveButton = button;
      saveDialog.showModal();
    });
  });

  if (saveDialog) {
    var saveForm = saveDialog.querySelector("[data-save-form]");
    saveForm.querySelector("[data-new-board-name]").addEventListener("focus", function () {
      saveForm.querySelector("[data-new-board-choice]").checked = true;
    });
    saveForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = saveDialog.saveButton;
      var board;
      chosenBoard(saveForm).then(function (chosen) {
        board = chosen;
        var body = chosen.id ? { collection_id: chosen.id } : {};
        return RB.api("notes/" + button.dataset.noteId + "/save/", { method: "POST", body: body });
      }).then(function (data) {
        button.setAttribute("aria-pressed", "true");
        button.dataset.collectionId = String(board.id || "");
        setCount(button, "save", data.save_count);
        announce(saveDialog.dataset.savedLabel.replace("%(board)s", board.name));
        saveDialog.close();
      }).catch(function (error) {
        saveError(apiMessage(error));
      });
    });
    saveForm.querySelector("[data-save-remove]").addEventListener("click", function () {
      var button = saveDialog.saveButton;
      RB.api("notes/" + button.dataset.noteId + "/save/", { method: "DELETE" }).then(function () {
        button.setAttribute("aria-pressed", "false");
        delete button.dataset.collectionId;
        setCount(button, "save", readCount(button, "save") - 1);
        announce(saveDialog.dataset.removedLabel);
        saveDialog.close();
      }).catch(function (error) {
        saveError(apiMessage(error));
      });
    });
  }
  RB.actions.register("note-reshare", function (button) {
    return toggle(button, "notes/" + button.dataset.noteId + "/reshare/", "reshare", "reshare_count");
  });
  RB.actions.register("comment-like", function (button) {
    return toggle(button, "comments/" + button.dataset.commentId + "/like/", "comment-like", "like_count");
  });

  RB.actions.register("note-share", function (button) {
    var url = button.dataset.shareUrl;
    var copy = navigator.clipboard ? navigator.clipboard.writeText(url).catch(function () {}) : Promise.resolve();
    return copy.then(function () {
      return RB.api("notes/" + button.dataset.noteId + "/share/", { method: "POST" });
    }).then(function (data) {
      setCount(button, "share", data.share_count);
      announce(button.dataset.copiedLabel);
      button.setAttribute("title", button.dataset.copiedLabel);
    });
  });

  RB.actions.register("comment-delete", function (button) {
    if (!confirmed(button)) return null;
    return RB.api("comments/" + button.dataset.commentId + "/", { method: "DELETE" }).then(function () {
      var item = document.getElementById("comment-" + button.dataset.commentId);
      if (item) item.remove();
    });
  });

  /* --- Comment form: replies, sending, and showing the new comment in place --------- */
  var commentForm = document.querySelector("[data-comment-form]");

  RB.actions.register("comment-reply", function (button) {
    if (!commentForm) return null;
    commentForm.querySelector("[data-parent-id]").value = button.dataset.rootId;
    var label = commentForm.querySelector("[data-replying-to]");
    label.hidden = false;
    label.querySelector("[data-replying-to-label]").textContent = "@" + button.dataset.authorName;
    commentForm.querySelector('input[name="body"]').focus();
    return null;
  });

  function resetReply() {
    commentForm.querySelector("[data-parent-id]").value = "";
    commentForm.querySelector("[data-replying-to]").hidden = true;
  }

  function commentNode(comment) {
    var item = document.createElement("li");
    item.className = "comment" + (comment.parent_id ? " comment-reply" : "");
    item.id = "comment-" + comment.id;
    var row = document.createElement("div");
    row.className = "comment-row";
    var main = document.createElement("div");
    main.className = "comment-main";
    var head = document.createElement("p");
    head.className = "comment-head";
    head.textContent = comment.author.display_name || comment.author.username;
    var body = document.createElement("p");
    body.className = "comment-body";
    body.textContent = comment.body;
    main.append(head, body);
    row.append(main);
    item.append(row);
    if (!comment.parent_id) {
      var replies = document.createElement("ol");
      replies.className = "reply-list";
      replies.dataset.replyList = comment.id;
      item.append(replies);
    }
    return item;
  }

  if (commentForm) {
    var noteId = document.querySelector("[data-note-id]").dataset.noteId;
    commentForm.querySelector("[data-cancel-reply]").addEventListener("click", resetReply);
    commentForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = commentForm.querySelector('input[name="body"]');
      var parentId = commentForm.querySelector("[data-parent-id]").value;
      var payload = { body: input.value };
      if (parentId) payload.parent_id = parseInt(parentId, 10);
      commentForm.setAttribute("aria-busy", "true");
      RB.api("notes/" + noteId + "/comments/", { method: "POST", body: payload }).then(function (comment) {
        var list = comment.parent_id
          ? document.querySelector('[data-reply-list="' + comment.parent_id + '"]')
          : document.querySelector("[data-comment-list]");
        var empty = document.querySelector("[data-comment-empty]");
        if (empty) empty.remove();
        if (list) list.append(commentNode(comment));
        input.value = "";
        resetReply();
      }).catch(function (error) {
        window.alert(error.message);
      }).then(function () {
        commentForm.removeAttribute("aria-busy");
      });
    });
  }

  /* --- Note page: count the view once the page is really shown ----------------------- */
  var notePage = document.querySelector(".note-page[data-note-id]");
  if (notePage) {
    RB.api("notes/" + notePage.dataset.noteId + "/view/", { method: "POST" }).catch(function () {});
  }

  /* --- Carousel: buttons and dots follow the scroll position -------------------------- */
  document.querySelectorAll("[data-carousel]").forEach(function (carousel) {
    var track = carousel.querySelector("[data-carousel-track]");
    var dots = carousel.querySelectorAll(".carousel-dots li");
    function current() { return Math.round(track.scrollLeft / track.clientWidth); }
    function go(delta) { track.scrollTo({ left: (current() + delta) * track.clientWidth }); }
    var prev = carousel.querySelector("[data-carousel-prev]");
    var next = carousel.querySelector("[data-carousel-next]");
    if (prev) prev.addEventListener("click", function () { go(-1); });
    if (next) next.addEventListener("click", function () { go(1); });
    track.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") go(-1);
      if (event.key === "ArrowRight") go(1);
    });
    track.addEventListener("scroll", function () {
      var index = current();
      dots.forEach(function (dot, i) { dot.classList.toggle("is-current", i === index); });
    }, { passive: true });
  });

  /* --- Confirmations on plain forms (delete note) ------------------------------------- */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]:not([data-action])");
    if (button && !confirmed(button)) event.preventDefault();
  });

  /* --- Note form ---------------------------------------------------------------------- */
  var noteForm = document.querySelector("[data-note-form]");
  if (!noteForm) return;

  var errorBox = document.querySelector("[data-form-error]");
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
    if (message) errorBox.scrollIntoView({ block: "center" });
  }

  // Title counter (characters as people count them, not UTF-16 units).
  noteForm.querySelectorAll("[data-counter]").forEach(function (input) {
    var counter = document.querySelector(input.dataset.counter);
    function update() { counter.textContent = String(Array.from(input.value).length); }
    input.addEventListener("input", update);
    update();
  });

  // Photo previews, in order, at most max files.
  var photoInput = noteForm.querySelector('input[name="images"]');
  var previews = noteForm.querySelector("[data-photo-previews]");
  photoInput.addEventListener("change", function () {
    previews.replaceChildren();
    var files = Array.from(photoInput.files);
    var max = parseInt(photoInput.dataset.maxFiles, 10);
    showError(files.length > max ? photoInput.dataset.tooMany : "");
    files.slice(0, max).forEach(function (file, index) {
      var item = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "photo-index";
      badge.textContent = String(index + 1);
      var img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file); // HEIC may not preview in every browser; it still uploads
      item.append(img, badge);
      previews.append(item);
    });
  });

  // Use my location.
  var locate = noteForm.querySelector("[data-use-location]");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        noteForm.querySelector('input[name="lat"]').value = position.coords.latitude.toFixed(6);
        noteForm.querySelector('input[name="lng"]').value = position.coords.longitude.toFixed(6);
      });
    });
  }

  // Product picker: search the shop, add hidden product_ids inputs.
  var picker = noteForm.querySelector("[data-product-picker]");
  var search = picker.querySelector("[data-product-search]");
  var results = picker.querySelector("[data-product-results]");
  var selected = picker.querySelector("[data-product-selected]");
  var timer = null;

  function storeName(product) {
    return product.brand ? product.brand.display_name || product.brand.username : "";
  }

  /* A search result: photo, name, price and store, so products of the same name differ. */
  function productResult(product) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "product-result";
    button.dataset.productId = product.id;
    var image = product.images && product.images[0];
    var thumb;
    if (image) {
      thumb = document.createElement("img");
      thumb.src = image.thumb_url || image.url;
      thumb.alt = "";
      thumb.width = 44;
      thumb.height = 44;
    } else {
      thumb = document.createElement("span");
      thumb.setAttribute("aria-hidden", "true");
      thumb.textContent = product.name.charAt(0);
    }
    thumb.classList.add("product-result-thumb");
    var text = document.createElement("span");
    text.className = "product-result-text";
    var name = document.createElement("span");
    name.className = "product-result-name";
    name.textContent = product.name;
    var meta = document.createElement("span");
    meta.className = "product-result-meta";
    var price = document.createElement("strong");
    price.textContent = product.price_display;
    meta.append(price, " · " + storeName(product));
    text.append(name, meta);
    button.append(thumb, text);
    return button;
  }

  function addProduct(product) {
    if (selected.querySelector('input[value="' + product.id + '"]')) return;
    var item = document.createElement("li");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "product_ids";
    hidden.value = product.id;
    var name = document.createElement("span");
    name.textContent = product.name + " · " + storeName(product);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.dataset.removeProduct = "";
    remove.textContent = selected.dataset.removeLabel;
    item.append(hidden, name, remove);
    selected.append(item);
  }

  selected.addEventListener("click", function (event) {
    if (event.target.matches("[data-remove-product]")) event.target.closest("li").remove();
  });

  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    var q = search.value.trim();
    if (!q) { results.replaceChildren(); return; }
    timer = window.setTimeout(function () {
      RB.api("products/?q=" + encodeURIComponent(q) + "&page_size=8").then(function (data) {
        results.replaceChildren();
        var items = (data && data.results) || [];
        if (!items.length) {
          var none = document.createElement("li");
          none.className = "muted";
          none.textContent = picker.dataset.noneLabel;
          results.append(none);
        }
        items.forEach(function (product) {
          var li = document.createElement("li");
          var button = productResult(product);
          button.addEventListener("click", function () {
            addProduct(product);
            results.replaceChildren();
            search.value = "";
          });
          li.append(button);
          results.append(li);
        });
      }).catch(function () { results.replaceChildren(); });
    }, 250);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault(); // never submit the note from the search box
  });

  // Submit through the API: a refused upload shows its message and nothing typed is lost.
  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(noteForm, event.submitter);
    data.delete("csrfmiddlewaretoken");
    if (noteForm.dataset.apiMethod === "PATCH" && !data.has("product_ids")) data.append("product_ids", "");
    ["lat", "lng"].forEach(function (name) { if (data.get(name) === "") data.delete(name); });
    noteForm.setAttribute("aria-busy", "true");
    showError("");
    RB.api(noteForm.dataset.apiPath, { method: noteForm.dataset.apiMethod, body: data }).then(function (note) {
      window.location.href = "/notes/" + note.id + "/";
    }).catch(function (error) {
      var message = error.message;
      if (error.data && !error.data.detail) {
        message = Object.keys(error.data).map(function (key) { return key + ": " + [].concat(error.data[key]).join(" "); }).join(" ");
      }
      showError(message);
    }).then(function () {
      noteForm.removeAttribute("aria-busy");
    });
  });
})();

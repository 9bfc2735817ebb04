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
        announce(saveDialog.dataset.savedLabel.replace("{board}", board.name));
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

  /* Every comment count on the page (heading and action bar) moves by `delta`. */
  function addToCommentCount(delta) {
    document.querySelectorAll('[data-count="comment"]').forEach(function (count) {
      count.textContent = String(Math.max(0, (parseInt(count.textContent, 10) || 0) + delta));
    });
  }

  RB.actions.register("comment-delete", function (button) {
    if (!confirmed(button)) return null;
    return RB.api("comments/" + button.dataset.commentId + "/", { method: "DELETE" }).then(function () {
      var item = document.getElementById("comment-" + button.dataset.commentId);
      if (!item) return;
      addToCommentCount(-item.querySelectorAll(".comment").length - 1); // a root takes its replies along
      item.remove();
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
        addToCommentCount(1);
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
    var max = parseInt(counter.dataset.max, 10);
    function update() {
      var length = Array.from(input.value).length;
      counter.textContent = String(length);
      counter.parentElement.classList.toggle("is-full", length >= max);
    }
    input.addEventListener("input", update);
    update();
  });

  /* Photos: one ordered list of the note's kept photos (data-image-id) and new files
   * (held here, uploaded on submit); each can move earlier or later or be removed, and
   * the first is the cover. */
  var photoInput = noteForm.querySelector('input[name="images"]');
  var photoList = noteForm.querySelector("[data-photo-previews]");
  var newFiles = new WeakMap(); // list item -> File
  var maxPhotos = parseInt(photoInput.dataset.maxFiles, 10);
  var addPhotos = noteForm.querySelector(".photo-add");

  function photoButton(label, name, text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "photo-tool";
    button.dataset.photo = name;
    button.setAttribute("aria-label", label);
    button.title = label;
    button.textContent = text;
    return button;
  }

  function addPhotoTools(item) {
    var cover = document.createElement("span");
    cover.className = "photo-cover";
    cover.textContent = photoList.dataset.coverLabel;
    var tools = document.createElement("div");
    tools.className = "photo-tools";
    tools.append(
      photoButton(photoList.dataset.earlierLabel, "earlier", "\u2039"),
      photoButton(photoList.dataset.laterLabel, "later", "\u203a"),
      photoButton(photoList.dataset.removeLabel, "remove", "\u00d7")
    );
    item.append(cover, tools);
  }

  function refreshPhotos() {
    var items = Array.from(photoList.children);
    items.forEach(function (item, index) {
      item.querySelector('[data-photo="earlier"]').disabled = index === 0;
      item.querySelector('[data-photo="later"]').disabled = index === items.length - 1;
    });
    photoList.hidden = !items.length;
    addPhotos.hidden = items.length >= maxPhotos;
  }

  photoList.querySelectorAll("li").forEach(addPhotoTools);
  refreshPhotos();

  photoList.addEventListener("click", function (event) {
    var button = event.target.closest("[data-photo]");
    if (!button) return;
    var item = button.closest("li");
    if (button.dataset.photo === "remove") item.remove();
    if (button.dataset.photo === "earlier" && item.previousElementSibling) item.previousElementSibling.before(item);
    if (button.dataset.photo === "later" && item.nextElementSibling) item.nextElementSibling.after(item);
    refreshPhotos();
    var focus = item.isConnected && item.querySelector('[data-photo="' + button.dataset.photo + '"]');
    if (focus && !focus.disabled) focus.focus();
  });

  photoInput.addEventListener("change", function () {
    var files = Array.from(photoInput.files);
    var room = Math.max(0, maxPhotos - photoList.children.length);
    showError(files.length > room ? photoInput.dataset.tooMany : "");
    files.slice(0, room).forEach(function (file) {
      var item = document.createElement("li");
      item.className = "photo-item";
      var img = document.createElement("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file); // HEIC may not preview in every browser; it still uploads
      item.append(img);
      addPhotoTools(item);
      newFiles.set(item, file);
      photoList.append(item);
    });
    photoInput.value = ""; // the list holds them now, and the same file can be picked again
    refreshPhotos();
  });

  /* The photos as the API takes them: new files in list order and, when editing,
   * image_order (kept ids, "new" where each new file goes; empty: no photo kept). */
  function appendPhotos(data, editing) {
    data.delete("images");
    data.delete("image_order");
    var items = Array.from(photoList.children);
    items.forEach(function (item) {
      if (newFiles.has(item)) data.append("images", newFiles.get(item));
      if (editing) data.append("image_order", item.dataset.imageId || "new");
    });
    if (editing && !items.length) data.append("image_order", "");
  }

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

  /* Autocomplete: @mentions (mentions/) and #tags (search/tags/) in the text, tags in the
   * tags field. A list under the field; arrows move, Enter or Tab picks, Escape closes. */
  var WORD = "[\\p{L}\\p{N}_]";
  var TOKEN_BEFORE_CARET = {
    body: new RegExp("(?:^|[^\\p{L}\\p{N}_@#&])([@#])(" + WORD + "[\\p{L}\\p{N}_.+-]{0,29})$", "u"),
    tags: /(?:^|,)\s*#?([^,#]{1,50})$/u,
  };

  function fetchCompletions(kind, query) {
    if (kind === "@") {
      return RB.api("mentions/?q=" + encodeURIComponent(query)).then(function (data) {
        return data.results.map(function (user) {
          return { insert: "@" + user.username, label: user.display_name || user.username, hint: "@" + user.username };
        });
      });
    }
    return RB.api("search/tags/?q=" + encodeURIComponent(query)).then(function (data) {
      return data.results.map(function (tag) { return { insert: tag.name, label: "#" + tag.name, hint: "" }; });
    });
  }

  noteForm.querySelectorAll("[data-autocomplete]").forEach(function (field, fieldIndex) {
    var mode = field.dataset.autocomplete;
    var list = document.createElement("ul");
    list.className = "autocomplete";
    list.id = "autocomplete-" + fieldIndex;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    field.after(list);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-expanded", "false");
    var token = null; // {kind, start, end} of the text being completed
    var options = [];
    var active = -1;
    var sequence = 0;
    var timer = null;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.from(list.children).forEach(function (item, i) { item.setAttribute("aria-selected", String(i === index)); });
      if (index >= 0) field.setAttribute("aria-activedescendant", list.children[index].id);
    }

    function pick(option) {
      var value = field.value;
      var text = token.kind === "tags" ? option.insert + ", " : (token.kind === "#" ? "#" + option.insert : option.insert) + " ";
      field.value = value.slice(0, token.start) + text + value.slice(token.end);
      var caret = token.start + text.length;
      field.setSelectionRange(caret, caret);
      close();
      field.focus();
    }

    function show(items) {
      close();
      options = items;
      items.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        var label = document.createElement("span");
        label.textContent = option.label;
        item.append(label);
        if (option.hint) {
          var hint = document.createElement("span");
          hint.className = "muted";
          hint.textContent = option.hint;
          item.append(hint);
        }
        // mousedown, not click: the field keeps its focus and caret
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(option); });
        list.append(item);
      });
      if (!items.length) return;
      list.hidden = false;
      field.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    function currentToken() {
      var caret = field.selectionStart;
      var before = field.value.slice(0, caret);
      var match = TOKEN_BEFORE_CARET[mode].exec(before);
      if (!match) return null;
      if (mode === "tags") {
        var query = match[1].trim();
        return query ? { kind: "tags", query: query, start: caret - match[1].length, end: caret } : null;
      }
      return { kind: match[1], query: match[2], start: caret - match[2].length - 1, end: caret };
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      var found = currentToken();
      if (!found) { close(); return; }
      var mine = ++sequence;
      timer = window.setTimeout(function () {
        fetchCompletions(found.kind === "@" ? "@" : "#", found.query).then(function (items) {
          if (mine !== sequence) return; // a later keystroke asked again
          token = found;
          show(items);
        }).catch(close);
      }, 150);
    });

    field.addEventListener("keydown", function (event) {
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        pick(options[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    field.addEventListener("blur", function () { window.setTimeout(close, 100); });
  });

  /* A video upload can take minutes: its percentage in the form's progress bar. */
  var progress = noteForm.querySelector("[data-upload-progress]");
  function showUploadProgress(fraction) {
    if (!progress) return;
    var percent = Math.round(fraction * 100);
    progress.hidden = false;
    progress.querySelector("progress").value = percent;
    progress.querySelector("[data-upload-percent]").textContent = percent + "%";
  }

  // Submit through the API: a refused upload shows its message and nothing typed is lost.
  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(noteForm, event.submitter);
    var editing = noteForm.dataset.apiMethod === "PATCH";
    data.delete("csrfmiddlewaretoken");
    appendPhotos(data, editing);
    if (editing && !data.has("product_ids")) data.append("product_ids", "");
    ["lat", "lng"].forEach(function (name) { if (data.get(name) === "") data.delete(name); });
    noteForm.setAttribute("aria-busy", "true");
    showError("");
    var video = data.get("video");
    var options = { method: noteForm.dataset.apiMethod, body: data };
    if (video && video.size) options.onUploadProgress = showUploadProgress;
    else { data.delete("video"); data.delete("cover"); }
    RB.api(noteForm.dataset.apiPath, options).then(function (note) {
      window.location.href = "/notes/" + note.id + "/";
    }).catch(function (error) {
      showError(RB.errorMessage(error, noteForm));
    }).then(function () {
      noteForm.removeAttribute("aria-busy");
    });
  });
})();

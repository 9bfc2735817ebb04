/* Search page: highlight the query in note cards, and suggestions under the top bar's box.
   Text is only ever inserted with textContent / Text nodes, never as HTML. */
(function () {
  "use strict";

  var page = document.querySelector(".search-page");
  if (!page) return;

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function termsPattern(terms) {
    var sorted = terms.filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    return sorted.length ? new RegExp(sorted.map(escapeRegExp).join("|"), "gi") : null;
  }

  /* Wrap each match of `pattern` inside `element`'s text in <mark>, node by node. */
  function highlight(element, pattern) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue, last = 0, match, fragment = document.createDocumentFragment();
      pattern.lastIndex = 0;
      while ((match = pattern.exec(text)) !== null) {
        if (!match[0]) { pattern.lastIndex++; continue; }
        fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
        var mark = document.createElement("mark");
        mark.textContent = match[0];
        fragment.appendChild(mark);
        last = match.index + match[0].length;
      }
      if (last === 0) return;
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
  }

  var results = page.querySelector(".search-results[data-terms]");
  var pattern = results ? termsPattern(results.dataset.terms.split(" ")) : null;
  if (pattern) {
    results.querySelectorAll(".card-title").forEach(function (title) { highlight(title, pattern); });
  }

  /* --- Suggestions ------------------------------------------------------------- */
  var input = document.getElementById("search-q");
  if (!input || !window.fetch) return;
  var form = input.form;
  var labels = page.dataset;
  var list = document.createElement("ul");
  list.id = "search-suggest";
  list.className = "search-suggest";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");

  var timer = null, active = -1, lastQuery = null, controller = null;

  function urlFor(item) {
    if (item.type === "tag") return "/tags/" + encodeURIComponent(item.name) + "/";
    if (item.type === "user") return "/u/" + encodeURIComponent(item.username) + "/";
    return labels.searchUrl + "?q=" + encodeURIComponent(item.text);
  }

  function option(item, index, kindLabel) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = urlFor(item);
    link.id = "search-suggest-" + index;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    var text = document.createElement("span");
    text.textContent = item.type === "tag" ? "#" + item.text : item.type === "user" && item.display_name ? item.display_name + " @" + item.text : item.text;
    var query = input.value.trim();
    var typed = query ? termsPattern([query]) : null;
    if (typed) highlight(text, typed);
    link.appendChild(text);
    if (kindLabel) {
      var kind = document.createElement("span");
      kind.className = "search-suggest-kind";
      kind.textContent = kindLabel;
      link.appendChild(kind);
    }
    li.appendChild(link);
    return li;
  }

  function heading(text) {
    var li = document.createElement("li");
    li.className = "search-suggest-heading";
    li.setAttribute("role", "presentation");
    li.textContent = text;
    return li;
  }

  function render(data) {
    list.replaceChildren();
    active = -1;
    var index = 0;
    var kinds = { query: labels.labelQuery, tag: labels.labelTag, user: labels.labelUser };
    data.results.forEach(function (item) { list.appendChild(option(item, index++, kinds[item.type])); });
    [["recent", labels.labelRecent], ["trending", labels.labelTrending]].forEach(function (group) {
      var queries = data[group[0]] || [];
      if (!queries.length) return;
      list.appendChild(heading(group[1]));
      queries.forEach(function (text) { list.appendChild(option({ type: "query", text: text }, index++, "")); });
    });
    var open = index > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function load() {
    var query = input.value.trim();
    if (query === lastQuery) { list.hidden = list.children.length === 0; return; }
    lastQuery = query;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(labels.suggestUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) render(data); })
      .catch(function () { /* aborted or offline: keep the plain search box */ });
  }

  function move(step) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 120);
  });
  input.addEventListener("focus", load);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) load(); else move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      list.querySelectorAll("[role=option]")[active].click();
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();

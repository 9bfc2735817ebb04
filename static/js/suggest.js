/* Search as you type in the top bar's box, on every page (templates/base.html).
 *
 * Debounced requests to search/suggest/ (the older one aborted), a listbox under the box
 * with arrow keys, Enter and Escape; an empty box shows the user's recent searches (with
 * "Clear") and today's trending queries. Text is only ever inserted with textContent /
 * Text nodes, never as HTML.
 *
 * window.RedBook.highlight(element, terms): wrap each occurrence of the terms in
 * element's text in <mark> (the search page marks its results with it).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function termsPattern(terms) {
    var sorted = terms.filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    return sorted.length ? new RegExp(sorted.map(escapeRegExp).join("|"), "gi") : null;
  }

  /* Wrap each match of the terms inside `element`'s text in <mark>, node by node. */
  function highlight(element, terms) {
    var pattern = termsPattern(terms);
    if (!pattern) return;
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

  window.RedBook = window.RedBook || {};
  window.RedBook.highlight = highlight;

  var form = document.querySelector("form.search[data-suggest-url]");
  var input = form && form.querySelector("input[name=q]");
  if (!input || !window.fetch || !window.AbortController) return;
  var labels = form.dataset;
  var list = document.createElement("ul");
  list.id = "search-suggest";
  list.className = "search-suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", labels.labelQuery);
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

  function shownText(item) {
    if (item.type === "tag") return "#" + item.text;
    if (item.type === "user" && item.display_name) return item.display_name + " @" + item.text;
    return item.text;
  }

  function option(item, index, kindLabel) {
    var li = document.createElement("li");
    li.setAttribute("role", "presentation");
    var link = document.createElement("a");
    link.href = urlFor(item);
    link.id = "search-suggest-" + index;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.tabIndex = -1;
    var text = document.createElement("span");
    text.className = "search-suggest-text";
    text.textContent = shownText(item);
    highlight(text, [input.value.trim()]);
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

  function heading(text, clearable) {
    var li = document.createElement("li");
    li.className = "search-suggest-heading";
    li.setAttribute("role", "presentation");
    var title = document.createElement("span");
    title.textContent = text;
    li.appendChild(title);
    if (clearable) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "search-suggest-clear";
      clear.textContent = labels.labelClear;
      clear.addEventListener("click", function (event) {
        event.stopPropagation();
        input.focus();
        window.RedBook.api("search/recent/", { method: "DELETE" })
          .then(function () { lastQuery = null; load(); })
          .catch(function () { /* offline: the list stays as it was */ });
      });
      li.appendChild(clear);
    }
    return li;
  }

  function render(data) {
    list.replaceChildren();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var index = 0;
    var kinds = { query: labels.labelQuery, tag: labels.labelTag, user: labels.labelUser };
    data.results.forEach(function (item) { list.appendChild(option(item, index++, kinds[item.type])); });
    [["recent", labels.labelRecent], ["trending", labels.labelTrending]].forEach(function (group) {
      var queries = data[group[0]] || [];
      if (!queries.length) return;
      list.appendChild(heading(group[1], group[0] === "recent" && window.RedBook.api));
      queries.forEach(function (text) { list.appendChild(option({ type: "query", text: text }, index++, "")); });
    });
    var open = index > 0 && document.activeElement === input;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
  }

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function load() {
    var query = input.value.trim();
    if (query === lastQuery) {
      list.hidden = list.children.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
      return;
    }
    lastQuery = query;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(labels.suggestUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      // A response for text since changed is stale: the newer text's request follows it.
      .then(function (data) { if (data && query === input.value.trim()) render(data); })
      .catch(function () { /* aborted or offline: keep the plain search box */ });
  }

  function move(step) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    options[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(load, DEBOUNCE_MS);
  });
  input.addEventListener("focus", load);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) load(); else move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      list.querySelectorAll("[role=option]")[active].click();
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();  // close the list, keep the text (a search box clears on Escape)
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();

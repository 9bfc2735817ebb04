/* Search page: mark the query's words in note cards' titles (static/js/suggest.js's
   RedBook.highlight; the server marks the other result kinds). */
(function () {
  "use strict";

  var results = document.querySelector(".search-page .search-results[data-terms]");
  if (!results || !window.RedBook || !window.RedBook.highlight) return;
  var terms = results.dataset.terms.split(" ");
  results.querySelectorAll(".card-title").forEach(function (title) { window.RedBook.highlight(title, terms); });
})();

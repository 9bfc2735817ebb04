/* Video notes in the browser (no dependencies; needs app.js).
 *
 * - Cards of video notes ([data-video-card]) play a muted preview of their smallest
 *   rendition: on hover where there is a mouse, and while mostly on screen on touch
 *   devices, one at a time; never with reduced motion or data saving asked for.
 * - A processing video ([data-video-poll]) is checked every few seconds: the page reloads
 *   once it is ready (or failed), so the author sees it without doing anything.
 */
(function () {
  "use strict";
  var RB = window.RedBook;
  if (!RB) return;

  /* --- Processing: wait for the worker ------------------------------------------------ */
  var waiting = document.querySelector("[data-video-poll]");
  if (waiting) {
    var poll = function () {
      RB.api("notes/" + waiting.dataset.videoPoll + "/").then(function (note) {
        if (note.video && note.video.status !== "processing") window.location.reload();
        else window.setTimeout(poll, 3000);
      }).catch(function () { window.setTimeout(poll, 10000); });
    };
    window.setTimeout(poll, 3000);
  }

  /* --- Card previews ------------------------------------------------------------------ */
  var quiet = window.matchMedia("(prefers-reduced-motion: reduce)").matches ||
    (navigator.connection && navigator.connection.saveData);
  if (quiet) return;

  var sources = {}; // note id -> Promise of the smallest rendition's URL (or null)
  var playing = null;

  function previewSource(noteId) {
    if (!sources[noteId]) {
      sources[noteId] = RB.api("notes/" + noteId + "/").then(function (note) {
        var renditions = note.video && note.video.status === "ready" ? note.video.renditions : [];
        return renditions.length ? renditions[renditions.length - 1].url : null;
      }).catch(function () { return null; });
    }
    return sources[noteId];
  }

  function stop(card) {
    var video = card.querySelector(".card-preview");
    if (video) { video.pause(); video.remove(); }
    if (playing === card) playing = null;
  }

  function start(card) {
    if (playing === card) return;
    if (playing) stop(playing);
    playing = card;
    previewSource(card.dataset.videoCard).then(function (url) {
      if (!url || playing !== card) return;
      var cover = card.querySelector(".card-cover");
      var video = document.createElement("video");
      video.className = "card-preview";
      video.muted = true;
      video.loop = true;
      video.playsInline = true;
      video.setAttribute("aria-hidden", "true");
      video.src = url;
      if (cover) video.style.height = cover.offsetHeight + "px";
      card.querySelector(".card-link").prepend(video);
      var played = video.play();
      if (played && played.catch) played.catch(function () { stop(card); }); // autoplay refused
    });
  }

  if (window.matchMedia("(hover: hover)").matches) {
    document.addEventListener("pointerover", function (event) {
      var card = event.target.closest && event.target.closest("[data-video-card]");
      if (card) start(card);
    });
    document.addEventListener("pointerout", function (event) {
      var card = event.target.closest && event.target.closest("[data-video-card]");
      if (card && !card.contains(event.relatedTarget)) stop(card);
    });
  } else if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.intersectionRatio >= 0.75) start(entry.target);
        else if (playing === entry.target) stop(entry.target);
      });
    }, { threshold: [0, 0.75] });
    var watch = function (root) {
      root.querySelectorAll("[data-video-card]").forEach(function (card) { observer.observe(card); });
    };
    watch(document);
    // Feeds add cards as they page (static/js/feeds.js): watch those too.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) { if (node.querySelectorAll) watch(node.parentNode || node); });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
})();

/* Shop pages: the variant picker, the hold countdown, quantity boxes that save on change.
 * Progressive enhancement only: every form works without this file.
 */
(function () {
  "use strict";

  /* Picking a variant shows its price and caps the quantity at its stock (and 99). */
  document.querySelectorAll("[data-buy-form]").forEach(function (form) {
    var price = document.querySelector("[data-price-display]");
    var quantity = form.querySelector("[data-qty]");
    form.addEventListener("change", function (event) {
      var radio = event.target;
      if (radio.name !== "variant_id") return;
      if (price) price.textContent = radio.dataset.price;
      if (quantity) {
        var max = Math.min(parseInt(radio.dataset.stock, 10) || 1, 99);
        quantity.max = String(max);
        if (parseInt(quantity.value, 10) > max) quantity.value = String(max);
      }
    });
  });

  /* "Held for 29:41": counts down to the order's expiry time. */
  document.querySelectorAll("[data-countdown]").forEach(function (note) {
    var clock = note.querySelector("[data-countdown-clock]");
    var end = Date.parse(note.dataset.countdown);
    if (!clock || isNaN(end)) return;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (left === 0) {
        clock.textContent = note.dataset.expiredText;
        return;
      }
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      window.setTimeout(tick, 1000);
    }
    tick();
  });

  /* A cart quantity box saves itself when changed (its Update button is for no-JS). */
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-autosubmit]") && event.target.form.reportValidity()) {
      event.target.form.submit();
    }
  });
})();

/* Shop pages: the variant picker, the hold countdown, quantity boxes that save on change.
 * Progressive enhancement only: every form works without this file.
 */
(function () {
  "use strict";

  /* Picking a variant shows its price and caps the quantity at its stock (and 99). */
  document.querySelectorAll("[data-buy-form]").forEach(function (form) {
    var prices = document.querySelectorAll("[data-price-display]");  // the buy box and the phone's buy bar
    var quantity = form.querySelector("[data-qty]");
    form.addEventListener("change", function (event) {
      var radio = event.target;
      if (radio.name !== "variant_id") return;
      prices.forEach(function (price) { price.textContent = radio.dataset.price; });
      if (quantity) {
        var max = Math.min(parseInt(radio.dataset.stock, 10) || 1, 99);
        quantity.max = String(max);
        if (parseInt(quantity.value, 10) > max) quantity.value = String(max);
      }
    });
  });

  /* Checkout: picking a saved address fills the form in with it (optional fields cleared). */
  document.querySelectorAll("[data-address-choices]").forEach(function (choices) {
    var form = choices.closest("form");
    choices.addEventListener("change", function (event) {
      var fields = JSON.parse(event.target.dataset.addressFields || "{}");
      ["name", "phone", "line1", "line2", "city", "region", "postal_code", "country"].forEach(function (name) {
        if (form.elements[name]) form.elements[name].value = fields[name] || "";
      });
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

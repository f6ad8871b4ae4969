// Kerja Sama: behaviour shared by every page. Loaded as a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  // Ask before a destructive or irreversible action: <button data-confirm="...">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Progress bars driven by data attributes, since style attributes are not allowed.
  function paintProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.getAttribute("data-progress")) || 0)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { paintProgress(document); });

  // Rupiah amounts grouped with dots as they are typed: <input data-amount>. The server reads
  // the grouped and the plain form alike (kerjasama/fields.py), so the stored value is exact.
  function groupAmount(text) {
    var parts = text.replace(/[^\d,]/g, "").split(",");
    var whole = parts[0].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return parts.length > 1 ? whole + "," + parts.slice(1).join("").slice(0, 2) : whole;
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-amount]")) {
      return;
    }
    var fromEnd = input.value.length - (input.selectionEnd || 0);
    var grouped = groupAmount(input.value);
    if (grouped !== input.value) {
      input.value = grouped;
      var caret = Math.max(0, grouped.length - fromEnd);
      input.setSelectionRange(caret, caret);
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) { paintProgress(event.target); });
})();

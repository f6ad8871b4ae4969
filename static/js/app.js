// Kerja Sama: behaviour shared by every page. Loaded as a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  // Ask before a destructive or irreversible action: <button data-confirm="...">. A form that is
  // not complete yet (a required reason) says so first; the question comes only once it is.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (!target) {
      return;
    }
    var form = target.form || target.closest("form");
    if (form && !form.noValidate && !form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
      return;
    }
    if (!window.confirm(target.getAttribute("data-confirm"))) {
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

  // Fields that apply only in some cases: <select data-show-if="kind=ksdd">, "a|b" (either checked
  // or filled), "duration_months>60" (kerjasama/fields.py show_if). A field with an error stays.
  function conditionHolds(form, condition) {
    return condition.split("|").some(function (part) {
      var match = part.match(/^([\w-]+)(?:([=>])(.*))?$/);
      if (!match) {
        return true;
      }
      var controls = form.querySelectorAll("[name='" + match[1] + "']");
      return Array.prototype.some.call(controls, function (control) {
        if ((control.type === "checkbox" || control.type === "radio") && !control.checked) {
          return false;
        }
        if (!match[2]) {
          return control.value.trim() !== "";
        }
        return match[2] === "=" ? control.value === match[3] : Number(control.value) > Number(match[3]);
      });
    });
  }
  function applyConditions(root) {
    root.querySelectorAll("[data-show-if]").forEach(function (field) {
      var wrapper = field.closest("[id^='div_id_']") || field.parentElement;
      var form = field.form || document;
      var invalid = wrapper.querySelector(".is-invalid, .invalid-feedback");
      wrapper.hidden = !invalid && !conditionHolds(form, field.getAttribute("data-show-if"));
      if (field.hasAttribute("data-required-if-shown")) {
        markRequired(wrapper, field, !wrapper.hidden);
      }
    });
  }
  // A field required only when it applies carries the mark of the always-required ones
  // (crispy-forms' asterisk) and the browser asks for it, but only while it is shown.
  function markRequired(wrapper, field, required) {
    var label = wrapper.querySelector("label[for='" + field.id + "']");
    if (label && !label.querySelector(".asteriskField")) {
      var mark = document.createElement("span");
      mark.className = "asteriskField";
      mark.textContent = "*";
      // Right after the text, as crispy-forms writes it: "Sifat KSDD*".
      var last = label.lastChild;
      if (last && last.nodeType === 3) {
        last.nodeValue = last.nodeValue.replace(/\s+$/, "");
      }
      label.appendChild(mark);
      label.classList.add("requiredField");
    }
    field.required = required;
  }
  // A form with required fields says once, at its top, what their asterisk means.
  function explainRequired(root) {
    var note = document.body.getAttribute("data-required-note");
    if (!note) {
      return;
    }
    root.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector(".required-note") || !form.querySelector("label.requiredField")) {
        return;
      }
      var paragraph = document.createElement("p");
      paragraph.className = "small text-body-secondary required-note";
      paragraph.textContent = note;
      form.insertBefore(paragraph, form.firstChild);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    applyConditions(document);
    explainRequired(document);
  });
  document.addEventListener("change", function (event) {
    if (event.target.form) {
      applyConditions(event.target.form);
    }
  });
  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.type === "number") {
      applyConditions(event.target.form);
    }
  });

  // Searchable multiple choices (kerjasama/fields.py SearchableSelectMultiple): type to find,
  // tap to choose, the texts come from the page in its language.
  function makeSearchable(root) {
    if (typeof window.TomSelect !== "function") {
      return;
    }
    root.querySelectorAll("select[data-searchable]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var noResults = select.getAttribute("data-no-results");
      var searchable = new window.TomSelect(select, {
        plugins: { remove_button: { title: select.getAttribute("data-remove-label") } },
        placeholder: select.getAttribute("data-placeholder"),
        hidePlaceholder: true,
        maxOptions: null,
        render: {
          no_results: function () {
            var item = document.createElement("div");
            item.className = "no-results";
            item.textContent = noResults;
            return item;
          }
        }
      });
      // The original list stays in the form for its values; people use the search box, which
      // carries the label.
      searchable.input.setAttribute("aria-hidden", "true");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { makeSearchable(document); });
  document.addEventListener("htmx:afterSwap", function (event) { makeSearchable(event.target); });

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

  // Tables that stack into "label: value" lines on a phone (.table-stack in static/css/app.css):
  // each cell is labelled with its column's header, counting spanned columns.
  function labelCells(root) {
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.table-stack"));
    var around = root.closest && root.closest("table.table-stack");
    if (around) {
      tables.push(around);
    }
    tables.forEach(function (table) {
      var labels = [];
      var headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headerRow) {
        return;
      }
      Array.prototype.forEach.call(headerRow.cells, function (cell) {
        for (var span = 0; span < cell.colSpan; span += 1) {
          labels.push(cell.textContent.replace(/\s+/g, " ").trim());
        }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.colSpan === 1 && !cell.hasAttribute("data-label") && labels[column] !== undefined) {
              cell.setAttribute("data-label", labels[column]);
            }
            column += cell.colSpan;
          });
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  document.addEventListener("htmx:afterSwap", function (event) { labelCells(event.target); });
})();

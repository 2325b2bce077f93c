// Sector report form: warn before leaving with unsaved changes, ask to save before submitting, show numbers with
// thousands separators, and let htmx show the server's answer when a save is refused (409) instead of dropping it.
(function () {
  "use strict";

  var dirty = false;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function sectorForm(element) {
    return element && element.closest ? element.closest("form[data-sector-form]") : null;
  }

  function markFromServer() {
    var form = document.querySelector("form[data-sector-form]");
    // The server marks a form it sent back unsaved (errors, a refused save, a check before submission).
    dirty = !!(form && form.hasAttribute("data-dirty"));
  }

  function plainNumber(text) {
    var digits = text.replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
    return digits.replace(/[,\s\u00a0\u202f]/g, "");
  }

  function withSeparators(text) {
    var plain = plainNumber(text);
    var match = /^([+-]?)(\d+)(\.\d*)?$/.exec(plain);
    if (!match) {
      return text;
    }
    var whole = match[2].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return match[1] + whole + (match[3] || "");
  }

  function decimals(text) {
    var dot = text.indexOf(".");
    return dot < 0 ? 0 : text.length - dot - 1;
  }

  // A total the catalogue defines as the sum of other items is read-only: it follows its parts as they are typed
  // (the server computes it again on saving).
  function updateSums(form) {
    form.querySelectorAll("input[data-sum]").forEach(function (total) {
      var sum = 0;
      var places = 0;
      var any = false;
      total.getAttribute("data-sum").split(" ").forEach(function (id) {
        var part = document.getElementById(id);
        var plain = part ? plainNumber(part.value) : "";
        if (/^[+-]?\d+(\.\d+)?$/.test(plain)) {
          sum += parseFloat(plain);
          places = Math.max(places, decimals(plain));
          any = true;
        }
      });
      if (any) {
        total.value = withSeparators(sum.toFixed(places));
      }
    });
  }

  document.addEventListener("input", function (event) {
    var form = sectorForm(event.target);
    if (form) {
      dirty = true;
      if (event.target.hasAttribute("data-number")) {
        updateSums(form);
      }
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!sectorForm(target)) {
      return;
    }
    dirty = true;
    if (target.hasAttribute("data-number") && target.value) {
      target.value = withSeparators(target.value);
    }
  }, true);

  document.addEventListener("submit", function (event) {
    if (sectorForm(event.target)) {
      dirty = false;
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!dirty || !form.hasAttribute || !form.hasAttribute("data-submit-form")) {
      return;
    }
    // Submission sends the stored values: what is typed but not saved would be left behind. Save first.
    event.preventDefault();
    if (window.confirm(form.getAttribute("data-save-first-message") || "")) {
      var save = document.querySelector("form[data-sector-form] button[name=action][value=save]");
      if (save) {
        save.click();
      }
    }
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) {
      return undefined;
    }
    var form = document.querySelector("form[data-sector-form]");
    var message = (form && form.getAttribute("data-leave-message")) || "";
    event.preventDefault();
    event.returnValue = message;
    return message;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    // A refused save (someone else saved first, or the report left draft) comes back as 409 with the
    // form to show: swap it in like any other answer.
    if (event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function markRows(form) {
    // A row is marked while an error shows beside its field; checks and saves replace the messages, not the rows.
    var rows = form.querySelectorAll("tr[id^='item-']");
    for (var i = 0; i < rows.length; i++) {
      rows[i].classList.toggle("has-error", !!rows[i].querySelector(".issues .issue.error"));
    }
  }

  document.addEventListener("report-saved", function (event) {
    // A save answers with its changes only: the form stays, and is no longer one sent back unsaved.
    var form = sectorForm(event.target);
    if (form) {
      form.removeAttribute("data-dirty");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.matches && elt.matches("form[data-sector-form]")) {
      markFromServer();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = sectorForm(event.detail.elt);
    if (form && event.detail.successful) {
      markRows(form);
    }
    if (form && !event.detail.successful && event.detail.xhr && event.detail.xhr.status !== 409) {
      dirty = true;
      if (event.detail.elt === form) {
        window.alert(form.getAttribute("data-error-message") || "");
      }
    }
  });

  document.addEventListener("DOMContentLoaded", markFromServer);
}());

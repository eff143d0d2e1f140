/* Behaviour of every page, without inline scripts (the Content-Security-Policy forbids them):
 *   data-confirm="Question?"    on a submit button or form: ask before sending;
 *   data-check-all="name"        on a checkbox: ticks or clears every input[name=name];
 *   data-progress="42"           on a progress bar: its width in percent (also in htmx-swapped parts).
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm], input[type=submit][data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches("input[type=checkbox][data-check-all]")) {
      document.querySelectorAll('input[name="' + box.dataset.checkAll + '"]').forEach(function (other) {
        other.checked = box.checked;
      });
    }
  });

  function setProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0));
      bar.style.width = value + "%";  // CSSOM, allowed by the policy (a style attribute is not)
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(setProgress);  // the page itself and every part htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () { setProgress(document); });
  }
})();

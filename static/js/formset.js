/* "Add a row" buttons of the part formsets: <button data-add-row="prefix"> appends the
 * <template id="prefix-template"> row to #prefix-table and counts it in the management form. */
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var html = document.getElementById(prefix + "-template").innerHTML.replace(/__prefix__/g, total.value);
      document.querySelector("#" + prefix + "-table tbody").insertAdjacentHTML("beforeend", html);
      total.value = parseInt(total.value, 10) + 1;
    });
  });
})();

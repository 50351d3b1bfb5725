// Decision forms on the cluster page: the action, owner and due date appear (and are sent)
// only when the decision is "Action"; hidden fields keep what was typed in case the choice
// changes back. Without this script every field shows and the server checks the rules.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-decision-form]").forEach(function (form) {
    var parts = form.querySelectorAll("[data-for-status]");
    function update() {
      var chosen = form.querySelector("input[name=status]:checked");
      var value = chosen ? chosen.value : "";
      parts.forEach(function (part) {
        var show = part.getAttribute("data-for-status") === value;
        part.hidden = !show;
        part.querySelectorAll("input, textarea, select").forEach(function (field) {
          field.disabled = !show;
        });
      });
    }
    form.querySelectorAll("input[name=status]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
});

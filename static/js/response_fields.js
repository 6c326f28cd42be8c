/* The follow-up correction form: what a response said is folded in a <details
   data-open-for="response" data-kind-field="ID">, opened when the select #ID says it was a
   response and folded when it says otherwise. The page is served with it open or folded
   already, so without JavaScript it reads the same and can be opened by hand. */
(function () {
  "use strict";

  document.querySelectorAll("details[data-open-for]").forEach(function (details) {
    var kind = document.getElementById(details.getAttribute("data-kind-field") || "");
    if (!kind) {
      return;
    }
    kind.addEventListener("change", function () {
      details.open = kind.value === details.getAttribute("data-open-for");
    });
  });
})();

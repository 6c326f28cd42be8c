/* Copy buttons, without inline script: <button data-copy-target="ID"> copies the value
   (or the text) of the element #ID. Optional: data-copy-status names an element
   (a role="status" live region) that gets data-copied-text, or data-failed-text when
   the browser refuses the clipboard (the text is then left selected to copy by hand).
   Each button comes inside a `hidden` wrapper, only shown here: without JavaScript
   there is no dead button, and the field itself can still be selected and copied. */
(function () {
  "use strict";

  function selectAll(target) {
    if (typeof target.select === "function") {
      target.focus();
      target.select();
    } else {
      var range = document.createRange();
      range.selectNodeContents(target);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }

  function legacyCopy(target) {
    selectAll(target);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(target) {
    var text = "value" in target ? target.value : target.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(target); }
      );
    }
    return Promise.resolve(legacyCopy(target));
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) {
      return;
    }
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    if (button.parentElement && button.parentElement.hidden) {
      button.parentElement.hidden = false;
    }
    button.hidden = false;
    // One click on the field selects all of it, ready for a manual copy.
    target.addEventListener("click", function () { selectAll(target); });
    button.addEventListener("click", function () {
      copy(target).then(function (copied) {
        if (!copied) {
          selectAll(target);
        }
        if (status) {
          status.textContent = copied
            ? button.getAttribute("data-copied-text") || ""
            : button.getAttribute("data-failed-text") || "";
        }
      });
    });
  });
})();

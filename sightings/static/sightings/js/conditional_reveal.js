// GOV.UK's conditional reveal: the questions under a radio show only once it is chosen.
// Without JavaScript they are always shown, with a question that says when to answer them.
// A panel someone has typed in stays open whichever radio is chosen, so nothing they
// typed is ever hidden from them. The radio names its panel with aria-controls, as
// GOV.UK's does (aria-expanded is not allowed on a radio).
(function () {
  document.querySelectorAll("[data-reveal-for]").forEach(function (panel) {
    var radio = document.getElementById(panel.getAttribute("data-reveal-for"));
    if (!radio) return;
    var group = document.querySelectorAll('input[type="radio"][name="' + radio.name + '"]');
    var fields = panel.querySelectorAll("input, textarea, select");

    function typedIn() {
      return Array.prototype.some.call(fields, function (field) {
        return field.value.trim() !== "";
      });
    }

    function update() {
      panel.hidden = !(radio.checked || typedIn());
    }

    radio.setAttribute("aria-controls", panel.id);
    group.forEach(function (choice) {
      choice.addEventListener("change", update);
    });
    update();
  });
})();

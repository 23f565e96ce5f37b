// What the pages used Bootstrap's and jQuery's scripts for, without them: opening a collapsed
// block, switching tabs, and the validation page's "Failed Only" filter.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle='collapse'], [data-toggle='tab']");
  if (!toggle) return;
  var target = document.getElementById((toggle.getAttribute("href") || "").slice(1));
  if (!target) return;
  event.preventDefault();
  if (toggle.getAttribute("data-toggle") === "collapse") {
    var open = target.classList.toggle("show");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    return;
  }
  Array.prototype.forEach.call(target.parentNode.children, function (pane) {
    pane.classList.toggle("active", pane === target);
    pane.classList.toggle("show", pane === target);
  });
  toggle.closest(".nav").querySelectorAll("[data-toggle='tab']").forEach(function (tab) {
    tab.classList.toggle("active", tab === toggle);
    tab.setAttribute("aria-selected", tab === toggle ? "true" : "false");
  });
});

function dyadflowFailedOnly(failedOnly, button) {
  var display = failedOnly ? "none" : "";
  var show = function (element) { element.style.display = display; };
  document.querySelectorAll(".hide-succeeded-validation-target-child").forEach(function (el) {
    show(el.parentElement);
  });
  document.querySelectorAll(".hide-succeeded-validation-target").forEach(show);
  document.querySelectorAll(".hide-succeeded-validations-column-section-target-child")
    .forEach(function (el) {
      var section = el.parentElement.parentElement;
      show(section);
      document.querySelectorAll("a[href]").forEach(function (link) {
        if (section.id && link.getAttribute("href").endsWith(section.id)) show(link);
      });
    });
  button.parentElement.querySelectorAll(".btn").forEach(function (other) {
    other.classList.toggle("active", other === button);
  });
}

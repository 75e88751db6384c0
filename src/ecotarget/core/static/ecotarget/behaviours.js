// The page behaviours that were inline handlers, so the Content-Security-Policy can forbid inline script. Events are
// delegated from the document: content htmx swaps in behaves the same without being bound again.
//   <select data-submit-on-change>          submits its form when changed
//   <select data-navigate-on-change>        opens the address its chosen option holds
//   <form data-disable-on-submit>           disables its button once submitted (a double click sends once)
//   <form data-confirm="…">                 asks before submitting
//   <input type=checkbox data-check-all=S>  ticks or clears every checkbox matching the selector S
//   <button data-reveal=S>                  shows the element S within its section, then goes away
(function () {
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("[data-submit-on-change]") && target.form) target.form.submit();
    else if (target.matches("[data-navigate-on-change]") && target.value) window.location.href = target.value;
    else if (target.matches("[data-check-all]")) {
      document.querySelectorAll(target.dataset.checkAll).forEach((box) => { box.checked = target.checked; });
    }
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm !== undefined && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.matches("[data-disable-on-submit]")) form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-reveal]");
    if (!button) return;
    const shown = button.closest("section").querySelector(button.dataset.reveal);
    if (shown) shown.hidden = false;
    button.remove();
  });
})();

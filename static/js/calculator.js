// The insertion-hours calculator, live: the sector fills in its labour share, and the result
// is asked from the server as you type (the formula lives on the server only). Without
// JavaScript the form is submitted with its button.
(function () {
  "use strict";
  const form = document.getElementById("calculator");
  const result = document.getElementById("resultat");
  if (!form || !result) return;
  const sector = form.elements.sector;
  const share = form.elements.labour_share;
  let timer = null;
  let controller = null;

  sector.addEventListener("change", function () {
    const option = sector.options[sector.selectedIndex];
    if (option.dataset.share) share.value = option.dataset.share.replace(".", ",");
    else if (sector.value === "autre") { share.value = ""; share.focus(); }
  });

  function update() {
    const params = new URLSearchParams(new FormData(form));
    if (!params.get("amount")) return;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(form.action.split("#")[0] + "?" + params.toString() + "&partiel=1", { signal: controller.signal })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        result.innerHTML = html;
        history.replaceState(null, "", "?" + params.toString() + "#resultat");
      })
      .catch(function () { /* the button still works */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 350);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 50);
  });
})();

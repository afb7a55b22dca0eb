// Autocomplete for the "find my facilitator" boxes: fills the input's <datalist> with the
// communes whose name, postal code or INSEE code starts like what is typed. The form works
// without it.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    let timer = null;
    let last = "";
    input.addEventListener("input", function () {
      const query = input.value.trim();
      clearTimeout(timer);
      if (query.length < 2 || query === last || /\(\w{2,3}\)$/.test(query)) return;
      timer = setTimeout(function () {
        last = query;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(query))
          .then(function (response) { return response.ok ? response.json() : { communes: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.communes.forEach(function (commune) {
              const option = document.createElement("option");
              option.value = commune.label;
              option.textContent = commune.postal_codes.join(", ");
              list.appendChild(option);
            });
          })
          .catch(function () { /* the form still works without suggestions */ });
      }, 200);
    });
  });
})();

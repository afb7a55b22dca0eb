// The "send my project" form: the box "Votre projet sera adressé à" follows the place and the
// buyer as they change, asked from the server (the routing rule lives on the server only).
// Without JavaScript the box shows the recipient known when the page was served.
(function () {
  "use strict";
  const box = document.getElementById("recipient");
  const place = document.getElementById("id_place");
  const authority = document.getElementById("id_authority");
  if (!box || !place || !authority) return;
  let timer = null;
  let controller = null;

  function update() {
    const params = new URLSearchParams({
      destinataire: "1", place: place.value.trim(), authority: authority.value,
    });
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(box.dataset.url + "?" + params.toString(), { signal: controller.signal })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () { /* the form is still sent to the right person */ });
  }

  function later(delay) {
    return function () {
      clearTimeout(timer);
      timer = setTimeout(update, delay);
    };
  }
  authority.addEventListener("change", later(50));
  place.addEventListener("change", later(50));
  place.addEventListener("input", later(500));
})();

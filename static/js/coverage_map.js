// The coverage map (created here with django-leaflet's options from the page's JSON: no inline
// script, so the Content-Security-Policy needs none).
// It only draws what the server computed: départements with their share of population
// covered, the communes of one département with their status, and, for a chosen commune,
// the answer of the API (lead, explanation, other facilitators). No rule is computed here.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const labels = config.labels;
  const FRANCE = [[41.3, -5.3], [51.1, 9.6]];
  const COVERAGE_COLOURS = {
    none: "#fbe3dc", low: "#c6dbef", mid: "#6baed6", high: "#2171b5", full: "#08306b",
  };

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function url(template, code) {
    return template.replace("CODE", encodeURIComponent(code));
  }

  function getJSON(address) {
    return fetch(address, { headers: { Accept: "application/json" } }).then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  window.coverageMap = function (map) {
    const panel = document.getElementById("map-panel");
    const select = document.getElementById("map-departement");
    const state = { departement: null, communes: null, epci: null, selected: null, marker: null };

    map.getContainer().setAttribute("aria-label", document.getElementById("carte-titre").textContent);
    map.attributionControl.setPrefix(false);
    if (config.tiles.url) {
      L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 18 }).addTo(map);
    }
    map.fitBounds(FRANCE);

    const epciGroup = L.layerGroup();
    const layers = L.control.layers(null, { [labels.epci]: epciGroup }, { collapsed: false });
    layers.addTo(map);

    function message(text, kind) {
      panel.replaceChildren(el("h3", { id: "map-panel-title" }, text));
      if (kind) panel.classList.add(kind); else panel.classList.remove("is-error");
    }

    // -- National view -------------------------------------------------------------------
    const departements = L.geoJSON(null, {
      style: (feature) => ({
        color: "#1d2a3a", weight: 1, fillOpacity: 0.75,
        fillColor: COVERAGE_COLOURS[feature.properties.coverage],
        className: "departement coverage-" + feature.properties.coverage +
          (feature.properties.coverage === "none" ? " zone-white" : ""),
      }),
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        layer.bindTooltip(`${p.name} (${p.code}) — ${p.covered_share} % ${labels.covered}`);
        layer.on("click", () => showDepartement(p.code, true));
        layer.on("add", () => { layer.getElement().dataset.code = p.code; });
      },
    }).addTo(map);

    getJSON(config.departements).then((data) => {
      departements.addData(data);
      state.bounds = departements.getBounds();  // the loaded départements, France when all are
      if (!config.commune && !config.departement && state.bounds.isValid()) map.fitBounds(state.bounds);
      map.getContainer().dataset.departements = String(data.features.length);
      if (config.commune) selectCommune(config.commune, config.point);
      else if (config.departement) showDepartement(config.departement, true);
    }).catch(() => message(labels.failed, "is-error"));

    // -- One département ------------------------------------------------------------------
    function communeStyle(feature) {
      const p = feature.properties;
      const white = p.status === "white";
      const lead = p.rule === "territory" || p.rule === "single";
      return {
        color: "#1d2a3a", weight: 0.6, fillOpacity: white ? 0.9 : 0.6,
        fillColor: white ? "#fbe3dc" : lead ? "#2171b5" : "#9ecae1",
        className: "commune " + (white ? "zone-white" : lead ? "zone-lead" : "zone-covered"),
      };
    }

    function showDepartement(code, fit) {
      if (state.departement === code) {
        if (fit && state.communes) map.fitBounds(state.communes.getBounds());
        return Promise.resolve();
      }
      state.departement = code;
      if (select) select.value = code;
      return getJSON(url(config.communes, code)).then((data) => {
        if (state.communes) state.communes.remove();
        state.communes = L.geoJSON(data, {
          style: communeStyle,
          onEachFeature: (feature, layer) => {
            layer.bindTooltip(feature.properties.name);
            layer.on("click", () => selectCommune(feature.properties.code));
            layer.on("add", () => { layer.getElement().dataset.code = feature.properties.code; });
          },
        }).addTo(map);
        map.getContainer().dataset.communes = String(data.features.length);
        // The chosen département is drawn by its communes; the others stay coloured.
        departements.setStyle((f) => Object.assign(departements.options.style(f),
          f.properties.code === code ? { fillOpacity: 0, interactive: false } : {}));
        map.getContainer().dataset.departement = code;
        if (fit) map.fitBounds(state.communes.getBounds());
        if (map.hasLayer(epciGroup)) loadEpci(code);
      }).catch(() => message(labels.failed, "is-error"));
    }

    function loadEpci(code) {
      getJSON(url(config.epci, code)).then((data) => {
        epciGroup.clearLayers();
        epciGroup.addLayer(L.geoJSON(data, {
          interactive: false,
          style: { color: "#5b2a86", weight: 2.5, dashArray: "6 4", fill: false },
        }));
      });
    }
    map.on("overlayadd", (event) => {
      if (event.layer === epciGroup && state.departement) loadEpci(state.departement);
    });

    if (select) {
      select.addEventListener("change", () => {
        if (select.value) showDepartement(select.value, true);
        else map.fitBounds(state.bounds && state.bounds.isValid() ? state.bounds : FRANCE);
      });
    }

    // -- One commune: the side panel --------------------------------------------------------
    function highlight(commune) {
      if (!state.communes) return;
      const feature = state.communes.getLayers().find((l) => l.feature.properties.code === commune.code);
      const leads = commune.leadIds;
      state.communes.eachLayer((layer) => {
        const p = layer.feature.properties;
        const inLeadTerritory = leads.length > 0 && p.leads.some((id) => leads.includes(id));
        const style = communeStyle(layer.feature);
        if (inLeadTerritory) Object.assign(style, { color: "#000", weight: 2.5 });
        layer.setStyle(style);
        const path = layer.getElement && layer.getElement();
        if (path) path.classList.toggle("lead-territory", inLeadTerritory);
      });
      if (feature) {
        feature.setStyle({ color: "#e1000f", weight: 4 });
        feature.bringToFront();
        // Show the commune within its lead's territory (or alone), not closer than zoom 10.
        const bounds = feature.getBounds();
        state.communes.eachLayer((layer) => {
          if (leads.length && layer.feature.properties.leads.some((id) => leads.includes(id))) {
            bounds.extend(layer.getBounds());
          }
        });
        map.fitBounds(bounds, { maxZoom: 10, padding: [16, 16] });
      }
    }

    function facilitatorCard(facilitator) {
      const item = el("li", { class: "card" });
      item.appendChild(el("p", { class: "card__title" }, facilitator.name));
      item.appendChild(el("p", { class: "card__meta" }, facilitator.structure));
      const mail = el("a", { href: "mailto:" + facilitator.email }, facilitator.email);
      item.appendChild(el("p")).appendChild(mail);
      if (facilitator.phone) {
        const phone = el("p", null, labels.phone + " ");
        phone.appendChild(el("a", { href: "tel:" + facilitator.phone.replace(/\s/g, "") }, facilitator.phone));
        item.appendChild(phone);
      }
      return item;
    }

    function fillPanel(data, point) {
      const commune = data.commune;
      panel.replaceChildren();
      panel.classList.remove("is-error");
      panel.appendChild(el("h3", { id: "map-panel-title" }, `${commune.name} (${commune.departement})`));
      if (point && point.label) panel.appendChild(el("p", { class: "muted" }, `${labels.address} : ${point.label}`));
      const heading = data.white_zone ? labels.no_lead
        : data.rule === "single" ? labels.contact
        : data.lead ? labels.lead : labels.no_lead;
      panel.appendChild(el("h4", null, heading));
      panel.appendChild(el("p", { class: "answer__explanation" }, data.explanation));
      const leadIds = [];
      if (data.lead) {
        leadIds.push(data.lead.id);
        panel.appendChild(el("ul", { class: "cards cards--compact" })).appendChild(facilitatorCard(data.lead));
      }
      const others = data.facilitators.filter((f) => !leadIds.includes(f.id));
      if (others.length) {
        panel.appendChild(el("h4", null, labels.others));
        const list = panel.appendChild(el("ul", { class: "cards cards--compact" }));
        others.forEach((f) => list.appendChild(facilitatorCard(f)));
      }
      if (config.referral_page) {
        let send = url(config.referral_page, commune.code);
        if (config.authority) send += "&donneur=" + config.authority;
        const label = leadIds.length || data.rule === "single" ? labels.send : labels.send_coordination;
        panel.appendChild(el("p")).appendChild(el("a", { href: send, class: "button button--small" }, label));
      }
      if (config.commune_page) {
        panel.appendChild(el("p")).appendChild(el("a", { href: url(config.commune_page, commune.code) }, labels.page));
      }
      return { code: commune.code, leadIds: leadIds };
    }

    function selectCommune(code, point) {
      message(labels.loading);
      let address = url(config.commune_api, code) + "?lang=" + config.language;
      if (config.authority) address += "&authority=" + config.authority;
      return getJSON(address).then((data) => {
        const commune = fillPanel(data, point && { label: config.point_label });
        return showDepartement(data.commune.departement, false).then(() => {
          highlight(commune);
          if (state.marker) state.marker.remove();
          if (point) {
            state.marker = L.circleMarker([point[1], point[0]], {
              radius: 7, color: "#fff", weight: 2, fillColor: "#e1000f", fillOpacity: 1,
            }).addTo(map);
          }
          panel.dataset.commune = data.commune.code;
        });
      }).catch(() => message(labels.failed, "is-error"));
    }
  };

  window.addEventListener("load", () => {
    L.Map.djangoMap("coverage-map", {
      djoptions: config.leaflet, initfunc: null, globals: false, callback: window.coverageMap,
    });
  });
})();

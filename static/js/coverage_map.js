// The coverage map (created here with django-leaflet's options from the page's JSON: no inline
// script, so the Content-Security-Policy needs none).
// It only draws what the server computed: départements with their share of population
// covered, the communes of one département with their status, and, for a chosen commune,
// the server's HTML answer (the same include as the search result). No rule is computed here.
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

  function getHTML(address) {
    return fetch(address, { headers: { Accept: "text/html" } }).then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    });
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
    const perimeterGroup = L.layerGroup();
    const layers = L.control.layers(
      null, { [labels.epci]: epciGroup, [labels.perimeters]: perimeterGroup }, { collapsed: false },
    );
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
    // One colour per status of the server's answer, as in the legend.
    const STATUS_STYLES = {
      white: { fillColor: "#fbe3dc", fillOpacity: 0.9 },
      lead: { fillColor: "#2171b5", fillOpacity: 0.6 },
      contact: { fillColor: "#6baed6", fillOpacity: 0.6 },
      several: { fillColor: "#c7e9c0", fillOpacity: 0.8 },
      tied: { fillColor: "#fdae61", fillOpacity: 0.8 },
    };

    function communeStyle(feature) {
      const status = feature.properties.status;
      return Object.assign(
        { color: "#1d2a3a", weight: 0.6, className: "commune zone-" + status },
        STATUS_STYLES[status] || STATUS_STYLES.white,
      );
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
        if (map.hasLayer(perimeterGroup)) loadPerimeters(code);
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
    // Named perimeters (a metropolis's territories, an employment area), named on hover.
    function loadPerimeters(code) {
      getJSON(url(config.perimeters, code)).then((data) => {
        perimeterGroup.clearLayers();
        perimeterGroup.addLayer(L.geoJSON(data, {
          interactive: false,
          style: { color: "#00695c", weight: 3, dashArray: "2 5", fill: false, className: "perimeter" },
          onEachFeature: (feature, layer) => {
            layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "perimeter-label" });
          },
        }));
      });
    }
    map.on("overlayadd", (event) => {
      if (event.layer === epciGroup && state.departement) loadEpci(state.departement);
      if (event.layer === perimeterGroup && state.departement) loadPerimeters(state.departement);
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

    function selectCommune(code, point) {
      message(labels.loading);
      let address = url(config.answer, code);
      if (config.authority) address += "?authority=" + encodeURIComponent(config.authority);
      return getHTML(address).then((html) => {
        const fragment = document.createRange().createContextualFragment(html);
        panel.replaceChildren(fragment);
        panel.classList.remove("is-error");
        const answer = panel.querySelector("[data-commune]");
        if (point && config.point_label) {
          const found = el("p", { class: "muted" }, `${labels.address} : ${config.point_label}`);
          panel.querySelector("h3").after(found);
        }
        const commune = {
          code: answer.dataset.commune,
          leadIds: answer.dataset.shown.split(" ").filter(Boolean).map(Number),
        };
        return showDepartement(answer.dataset.departement, false).then(() => {
          highlight(commune);
          if (state.marker) state.marker.remove();
          if (point) {
            state.marker = L.circleMarker([point[1], point[0]], {
              radius: 7, color: "#fff", weight: 2, fillColor: "#e1000f", fillOpacity: 1,
            }).addTo(map);
          }
          panel.dataset.commune = commune.code;
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

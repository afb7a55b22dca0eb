// The small map of an event's place, created here with django-leaflet's options from the page's
// JSON (no inline script under the site's Content-Security-Policy).
// With base tiles (MAP_TILES_URL) it zooms on the street; without them (offline, tests) it
// shows the place within its département's outline.
window.eventMap = function (map) {
  const source = document.getElementById("event-map-config");
  if (!source) return;
  const config = JSON.parse(source.textContent);
  const point = [config.lat, config.lon];
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  let outline = null;
  if (!config.tiles.url && config.outline) {
    outline = L.geoJSON(config.outline, {
      style: { color: "#06335b", weight: 2, fillColor: "#0a4a82", fillOpacity: 0.12 },
      interactive: false,
    }).addTo(map);
  }
  L.circleMarker(point, { radius: 9, color: "#06335b", weight: 3, fillColor: "#ffbf47", fillOpacity: 1 })
    .bindTooltip(config.label)
    .addTo(map);
  if (outline && outline.getBounds().isValid()) {
    map.fitBounds(outline.getBounds(), { padding: [12, 12] });
  } else {
    map.setView(point, config.tiles.url ? 15 : 9);
  }
  map.scrollWheelZoom.disable();
};

window.addEventListener("load", () => {
  const source = document.getElementById("event-map-config");
  if (!source) return;
  L.Map.djangoMap("event-map", {
    djoptions: JSON.parse(source.textContent).leaflet,
    initfunc: null,
    globals: false,
    callback: window.eventMap,
  });
});

// The small map of an event's place (django-leaflet calls window.eventMap back with the map).
// Base tiles only when MAP_TILES_URL is set; otherwise the marker alone (tests, offline).
window.eventMap = function (map) {
  const source = document.getElementById("event-map-config");
  if (!source) return;
  const config = JSON.parse(source.textContent);
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  const point = [config.lat, config.lon];
  L.circleMarker(point, { radius: 9, color: "#06335b", weight: 3, fillColor: "#ffbf47", fillOpacity: 1 })
    .bindTooltip(config.label)
    .addTo(map);
  map.setView(point, 15);
  map.scrollWheelZoom.disable();
};

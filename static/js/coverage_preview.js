// Draws a facilitator's saved coverage on the admin map (django-leaflet calls this back).
window.coveragePreview = function (map) {
  const source = document.getElementById("coverage-geojson");
  if (!source) return;
  const layer = L.geoJSON(JSON.parse(source.textContent), {
    style: { color: "#06335b", weight: 2, fillColor: "#0a4a82", fillOpacity: 0.25 },
    onEachFeature: (feature, item) =>
      item.bindTooltip(`${feature.properties.name} (${feature.properties.kind})`),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
};

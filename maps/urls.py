from django.urls import path

from maps import api

app_name = "api"
urlpatterns = [
    path("lookup/", api.lookup, name="lookup"),
    path("suggest/", api.suggest, name="suggest"),
    path("communes/<str:code>/", api.commune, name="commune"),
    path("white-zones/", api.white_zones, name="white_zones"),
    path("facilitators.geojson", api.facilitators_geojson, name="facilitators_geojson"),
    path("facilitators.csv", api.facilitators_csv, name="facilitators_csv"),
    path("map/departements.geojson", api.departements_layer, name="map_departements"),
    path(
        "map/departements/<str:code>/communes.geojson",
        api.communes_layer,
        name="map_communes",
    ),
    path("map/departements/<str:code>/epci.geojson", api.epci_layer, name="map_epci"),
    path(
        "map/departements/<str:code>/perimeters.geojson",
        api.perimeters_layer,
        name="map_perimeters",
    ),
]

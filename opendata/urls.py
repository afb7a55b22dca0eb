"""`/api/v1/`: the operations (`opendata.api`), the OpenAPI description and, at the root, a
redirect to the documentation page."""

from django.urls import path

from opendata import views
from opendata.api import api

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi_json, name="openapi"),
    path("", views.root, name="root"),
    *api.urls[0],
]

"""`/api/v1/` endpoints of the observatory (included by portal/urls.py)."""

from django.urls import path

from observatory import api

urlpatterns = [
    path("results/", api.results, name="observatory_api_results"),
    path("schemas/results.json", api.results_schema, name="observatory_api_schema"),
]

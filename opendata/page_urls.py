"""The API's documentation page, inside the language prefixes (`/fr/api/`, `/en/api/`)."""

from django.urls import path

from opendata import views

urlpatterns = [path("", views.documentation, name="api_docs")]

from django.urls import path

from sitesearch import views

urlpatterns = [path("", views.search, name="search")]

from django.urls import path

from directory import views

urlpatterns = [
    path("<str:token>/", views.confirm, name="directory_confirm"),
    path("<str:token>/modifier/", views.change, name="directory_confirm_change"),
]

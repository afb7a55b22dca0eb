"""Pages of the admin reached without signing in (included by portal/urls.py before the
Wagtail admin, which requires a signed-in user): an invitation's link, the unlock links."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="accounts_invitation"),
    path("deblocage/", views.unlock_request, name="accounts_unlock_request"),
    path("deblocage/<str:token>/", views.unlock, name="accounts_unlock"),
]

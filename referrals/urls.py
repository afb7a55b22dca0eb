"""The public ends of a request's e-mails (under the language prefix): the sender's tracking
page and opinion, the facilitator's one-step answers."""

from django.urls import path

from referrals import public_views

app_name = "referrals"
urlpatterns = [
    path("<str:token>/", public_views.track, name="track"),
    path("avis/<str:token>/", public_views.rate, name="rate"),
    path("je-m-en-occupe/<str:token>/", public_views.take, name="take"),
    path("transmettre/<str:token>/", public_views.forward, name="forward"),
    path("decliner/<str:token>/", public_views.decline, name="decline"),
]

from django.urls import path

from reports import validators  # noqa: F401 — registers the URL converters (id, year, round, key)

from . import views

urlpatterns = [
    path("bao-cao/<id:report_pk>/mot-cua/", views.OneStopPartView.as_view(), name="part-one-stop"),
    path("bao-cao/<id:report_pk>/mot-cua/ty-le/", views.OneStopRatesView.as_view(), name="one-stop-rates"),
    path("bao-cao/<id:report_pk>/thu-tuc/", views.ProceduresPartView.as_view(), name="part-procedures"),
]

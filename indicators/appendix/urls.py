from django.urls import path

from reports import validators  # noqa: F401 — registers the URL converters (id, year, round, key)

from . import views

urlpatterns: list = [
    path("bao-cao/<id:report_pk>/phu-luc-01b/", views.AppendixPartView.as_view(), name="part-appendix"),
]

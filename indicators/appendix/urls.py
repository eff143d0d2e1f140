from django.urls import path

from . import views_catalogue

urlpatterns: list = [
    path("bao-cao/<int:report_pk>/phu-luc-01b/", views_catalogue.AppendixPartView.as_view(), name="part-appendix"),
]

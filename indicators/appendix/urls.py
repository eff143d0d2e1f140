from django.urls import path

from . import views

urlpatterns: list = [
    path("bao-cao/<int:report_pk>/phu-luc-01b/", views.AppendixPartView.as_view(), name="part-appendix"),
]

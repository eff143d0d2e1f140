from django.urls import include, path

urlpatterns = [
    path("", include("indicators.appendix.urls")),
    path("", include("indicators.scoring.urls")),
]

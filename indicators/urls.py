from django.urls import include, path

urlpatterns = [
    path("", include("indicators.urls_catalogue")),
    path("", include("indicators.urls_scoring")),
]

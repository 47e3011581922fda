"""The URLs the OpenAPI schema describes: the API v1 at its real prefix."""
from django.urls import include, path

urlpatterns = [
    path("api/credits/v1/", include(("credits_plugin.rest_api.v1.urls", "credits_api_v1"))),
]

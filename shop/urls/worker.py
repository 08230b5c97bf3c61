"""The workers serve no pages; a health answer for whoever asks."""

from django.urls import path

from shop.core.health import healthz

urlpatterns = [path("healthz", healthz)]

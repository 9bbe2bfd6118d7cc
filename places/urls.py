from django.urls import path

from . import views

urlpatterns = [
    path("directions", views.DirectionsApi.as_view(), name="directions"),
    path("weather", views.WeatherApi.as_view(), name="weather"),
    path("weather/forecast", views.WeatherForecastApi.as_view(), name="weather-forecast"),
    path("places/photo/<path:ref>", views.PlacePhotoApi.as_view(), name="place-photo"),
]

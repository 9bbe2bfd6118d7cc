import os

from django.core.wsgi import get_wsgi_application

# Empty means unset, as for every variable (.env.example lists it empty).
if not os.environ.get("DJANGO_SETTINGS_MODULE", "").strip():
    os.environ["DJANGO_SETTINGS_MODULE"] = "violetvibes.settings.local"

application = get_wsgi_application()

"""The demo's Celery app: configured from Django settings (CELERY_*), eager unless a broker is set."""
from celery import Celery

app = Celery("demo_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["credits_plugin"])
app.set_default()

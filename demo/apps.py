from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the app exists so its management commands are found where it is
    installed (dev, test, bench settings) and nowhere else."""

    name = "demo"
    verbose_name = "Demo data and benchmark (development only)"

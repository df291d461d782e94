from django.apps import AppConfig


class DemoDataConfig(AppConfig):
    """Demo data across all apps; sits above every domain app, and nothing imports it."""

    name = "zhifa.demodata"
    label = "demodata"
    verbose_name = "演示数据"

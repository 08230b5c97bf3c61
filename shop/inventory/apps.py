from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "shop.inventory"
    label = "inventory"

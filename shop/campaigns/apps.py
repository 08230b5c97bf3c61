from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "shop.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

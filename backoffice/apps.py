from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BackofficeConfig(AppConfig):
    name = "backoffice"

    def ready(self) -> None:
        from backoffice.roles import roles_sync_after_migrate

        # After every migrate (and every test flush, which empties the groups) the role groups
        # hold exactly the permissions of the table in roles.py.
        post_migrate.connect(roles_sync_after_migrate, sender=self,
                             dispatch_uid="backoffice.roles_sync")

from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class WorkersConfig(AppConfig):
    name = "workers"

    def ready(self) -> None:
        from workers.backend import hold_until_response, send_after_response

        request_started.connect(hold_until_response, dispatch_uid="workers.hold")
        request_finished.connect(send_after_response, dispatch_uid="workers.send")

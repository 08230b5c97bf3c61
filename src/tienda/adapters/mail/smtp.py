"""SMTP mail: any relay on Azure (Azure Communication Services has one), the capture locally."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from tienda.config import Settings


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self._host, self._port = settings.smtp_host, settings.smtp_port
        self._username, self._password = settings.smtp_username, settings.smtp_password
        self._starttls = settings.smtp_starttls

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=10) as smtp:
            if self._starttls:
                smtp.starttls()
            if self._username:
                smtp.login(self._username, self._password)
            smtp.send_message(message)

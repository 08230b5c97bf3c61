"""One account model for staff and customers; staff roles are groups (backoffice/roles.py)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None,
                         **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(max_length=320, unique=True)
    name = models.CharField(max_length=200, blank=True, default="")
    is_staff = models.BooleanField(default=False, help_text="Can use the backoffice and admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        db_table = "users"

    def __str__(self) -> str:
        return self.email


class SignInFailure(models.Model):
    """A failed sign-in, keyed `email:<address>` or `client:<ip>`; the rate limits count these
    within a window."""

    key = models.CharField(max_length=400)
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "sign_in_failures"
        indexes = [models.Index(fields=["key", "failed_at"], name="ix_sign_in_failures_key")]

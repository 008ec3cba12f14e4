from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The portal's account model, custom from the first migration so it can grow later."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

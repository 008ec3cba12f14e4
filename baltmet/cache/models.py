from django.db import models


class Generation(models.Model):
    """The page cache's generation: one row, whose value is part of every stored page's key.

    It lives in PostgreSQL, bumped in the same transaction as the change it follows, so no
    outage of the cache server can lose a bump: a page changed while Redis was down or hung
    is never served stale afterwards.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "page cache generation"

    def __str__(self) -> str:
        return f"generation {self.value}"

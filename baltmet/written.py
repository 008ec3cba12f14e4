"""HTML kept per process by what it shows (cards, key figures): the key is everything the
HTML is written from, so no change can leave it stale and nothing needs to invalidate it."""


class KeyedByWhatItShows:
    """What a piece of HTML is written from, equal to another that shows the same (`key`),
    to be the argument of an `lru_cache`d function that writes it."""

    key: tuple

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self.key == other.key

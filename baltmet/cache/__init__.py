"""The page cache: whole responses for anonymous visitors, stale the moment content changes.

- generation.py: the generation number in every key; bumped by any change visitors could see;
- signals.py: which changes bump it;
- middleware.py: looks requests up and stores responses.

README.md, "Performance", says what is cached, when it is cleared and how to measure it.
"""

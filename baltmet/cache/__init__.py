"""A full-page cache for anonymous visitors that is never stale.

- middleware.py: looks requests up, stores responses, sets the caching headers;
- tags.py: what a response depends on (collected while it is rendered, or declared);
- signals.py: what a change invalidates; store.py: tag versions and stored responses;
- purge.py: bans in the reverse proxy (deploy/varnish/default.vcl);
- wagtail_hooks.py: the page being served, and its view restrictions.
"""

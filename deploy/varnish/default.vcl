vcl 4.1;

# Varnish in front of the BaltMet Inno portal (Debian: apt-get install varnish; Varnish 7).
#
# It keeps what the application marks as shared-cacheable (a 200 with Surrogate-Control:
# max-age=N, sent when PROXY_BAN_URL points here) for N seconds, and drops everything the
# moment any content changes: after every change the application sends
#
#     BAN / HTTP/1.1
#
# (twice, two seconds apart) and every object stored is banned: the portal's page cache
# keeps no finer account of which page shows what. Logged-in users (a session cookie),
# Authorization, the admin, documents and health checks go straight to the application.
# Clients never see Surrogate-Control; they get the application's
# `Cache-Control: public, max-age=0, must-revalidate` and revalidate with their ETag (304).
#
#     varnishd -a :6081 -f /etc/varnish/default.vcl -s malloc,256m
#     PROXY_BAN_URL=http://127.0.0.1:6081/   (in the application's environment)

import std;

backend portal {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may send bans: the application servers.
acl banners {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ banners) {
            return (synth(405, "Not allowed"));
        }
        # On obj.* only, so the ban lurker can clear the objects in the background.
        if (std.ban("obj.status != 0")) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.url ~ "^/(admin|documents|_util)(/|$)" || req.url ~ "^/(healthz|readyz)") {
        return (pass);
    }
    # A session cookie: possibly logged in. The application decides, uncached.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anonymous: no other cookie (csrftoken, preferences) changes a cacheable page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    # http and https pages differ (absolute URLs in feeds and calendars).
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    # Then the built-in vcl_hash: URL and Host.
}

sub vcl_backend_response {
    if (beresp.status == 200
        && beresp.http.Surrogate-Control ~ "max-age=[0-9]+"
        && !beresp.http.Set-Cookie) {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1") + "s", 0s);
        # Never serve an expired page: the application keeps pages no longer than until
        # the next instant at which they change by themselves (an event ends).
        set beresp.grace = 0s;
        set beresp.keep = 0s;
        unset beresp.http.Surrogate-Control;
        return (deliver);
    }
    # Everything else is the application's to answer each time (hit-for-miss, briefly).
    set beresp.ttl = 10s;
    set beresp.grace = 0s;
    set beresp.uncacheable = true;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.Surrogate-Control;
    if (obj.uncacheable) {
        set resp.http.X-Proxy-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
}

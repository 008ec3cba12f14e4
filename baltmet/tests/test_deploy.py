"""The files in deploy/, run or read as a server would use them.

- nginx (deploy/nginx/baltmet.conf), this very file with only its addresses and paths
  changed, in front of the portal: TLS, the redirect from http, uploaded media served with
  their headers, documents never served from the media folder, compression, no version in
  `Server`, and nothing meant for the proxy passed on to visitors.
- gunicorn's configuration (deploy/gunicorn.conf.py) loads the application as configured.
- The systemd units start what exists: the gunicorn configuration and the
  `publish_scheduled` command, every five minutes.
"""

import configparser
import gzip
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from tests.helpers import ROOT

DEPLOY = ROOT / "deploy"
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced, which must be there: the test follows the shipped file."""
    assert old in text, f"deploy/nginx/baltmet.conf no longer has {old!r}"
    return text.replace(old, new)


class Nginx:
    def __init__(self, folder: Path, upstream: str):
        self.folder = folder
        self.http_port, self.https_port = free_port(), free_port()
        self.var = folder / "var"
        self.write_certificate()
        site = (DEPLOY / "nginx" / "baltmet.conf").read_text()
        site = replaced(site, "server 127.0.0.1:6081;", f"server {upstream};")
        site = replaced(site, "/srv/baltmet/var/", f"{self.var}/")
        site = replaced(site, "listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = replaced(site, "listen [::]:80;\n", "")
        site = replaced(
            site, "listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;"
        )
        site = replaced(site, "listen [::]:443 ssl http2;\n", "")
        site = replaced(site, "/etc/ssl/certs/inno.example.org.pem", str(folder / "cert.pem"))
        site = replaced(site, "/etc/ssl/private/inno.example.org.key", str(folder / "key.pem"))
        (folder / "site.conf").write_text(site)
        temp = folder / "temp"
        temp.mkdir()
        user = "user root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"""
            {user}
            daemon off;
            pid {folder}/nginx.pid;
            error_log {folder}/error.log;
            events {{}}
            http {{
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                access_log off;
                client_body_temp_path {temp}/body;
                proxy_temp_path {temp}/proxy;
                fastcgi_temp_path {temp}/fastcgi;
                uwsgi_temp_path {temp}/uwsgi;
                scgi_temp_path {temp}/scgi;
                include {folder}/site.conf;
            }}
            """
        )

    def write_certificate(self) -> None:
        key, certificate = self.folder / "key.pem", self.folder / "cert.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)),
            ],
            check=True,
            capture_output=True,
        )

    def start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [NGINX, "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=0.2).close()
                return process
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)

    def get(self, path: str, https: bool = True, **headers):
        scheme, port = ("https", self.https_port) if https else ("http", self.http_port)
        context = ssl.create_default_context(cafile=str(self.folder / "cert.pem"))
        context.check_hostname = False
        request = urllib.request.Request(f"{scheme}://127.0.0.1:{port}{path}", headers=headers)
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), NoRedirects()
        )
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    if not Path(NGINX).is_file():
        pytest.fail(f"nginx was not found at {NGINX}: sudo apt-get install nginx-light")
    # As with Varnish in production: a page from the page cache carries Surrogate-Control.
    settings.PAGE_CACHE = True
    settings.PROXY_BAN_URL = "http://127.0.0.1:9/"
    server = Nginx(tmp_path, live_server.url.removeprefix("http://"))
    images, documents, static = (
        server.var / "media/images",
        server.var / "media/documents",
        server.var / "static/css",
    )
    for folder in (images, documents, static):
        folder.mkdir(parents=True)
    (images / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (documents / "minutes.pdf").write_bytes(b"%PDF-1.4 private minutes")
    (static / "site.css").write_text("body { color: #123; }\n" * 200)
    os.chmod(tmp_path, 0o755)
    process = server.start()
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nginx_in_front_of_the_portal_as_deploy_configures_it(nginx, home_page):
    status, headers, _ = nginx.get("/news/?page=2", https=False)
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/news/?page=2"

    for _ in range(2):  # the second from the page cache, with Surrogate-Control
        status, headers, body = nginx.get("/", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["X-Cache"] == "HIT"
    assert home_page.title in gzip.decompress(body).decode()
    assert headers["Server"] == "nginx", "no version"
    assert "Surrogate-Control" not in headers and "X-Cache-Tags" not in headers

    status, _, body = nginx.get("/media/documents/minutes.pdf")
    assert status == 404 and b"private minutes" not in body

    status, headers, body = nginx.get("/media/images/photo.png")
    assert status == 200 and body.startswith(b"\x89PNG")
    assert headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"] == "public, max-age=2592000"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]

    status, headers, body = nginx.get("/static/css/site.css", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"body { color: #123; }")
    assert "immutable" in headers["Cache-Control"]

    # Above the root: nginx refuses it before any location (and so before the alias).
    status, _, body = nginx.get("/media/../../etc/passwd")
    assert status == 400 and b"root:" not in body


def test_gunicorns_configuration_loads_the_portal():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "--check-config", "-c", "deploy/gunicorn.conf.py", "baltmet.wsgi"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "baltmet.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


def test_the_systemd_units_start_what_exists():
    app = unit("baltmet.service")["Service"]
    assert app["ExecStart"].endswith("gunicorn -c deploy/gunicorn.conf.py baltmet.wsgi")
    assert (ROOT / "deploy" / "gunicorn.conf.py").is_file()
    job = unit("baltmet-publish-scheduled.service")["Service"]
    command = job["ExecStart"].split()
    assert command[1:3] == ["manage.py", "publish_scheduled"]
    assert "publish_scheduled" in get_commands()
    timer = unit("baltmet-publish-scheduled.timer")["Timer"]
    assert timer["OnCalendar"] == "*:0/5"
    deletion = unit("baltmet-delete-expired-data.service")["Service"]["ExecStart"].split()
    assert deletion[1:3] == ["manage.py", "delete_expired_personal_data"]
    assert "delete_expired_personal_data" in get_commands()
    assert unit("baltmet-delete-expired-data.timer")["Timer"]["OnCalendar"] == "daily"
    worker = unit("baltmet-newsletter-worker.service")["Service"]["ExecStart"].split()
    assert worker[1:] == ["manage.py", "db_worker", "--backend", "newsletter"]
    assert "db_worker" in get_commands()
    assert "newsletter" in settings.TASKS
    reload = app["ExecReload"].split()
    assert Path(reload[0]).is_file(), "the reload's kill is where the unit says"

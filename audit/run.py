"""`make audit`: Lighthouse and the Nu HTML checker on every public page type (README: Audit).

1. Sets up its own SQLite database, var/audit.sqlite3 (never var/db.sqlite3 or PostgreSQL):
   migrations, the seed content, and a news item with an uploaded 601×397 picture
   (audit/content.py); static files are collected into var/audit/static.
2. Serves the portal as in production (audit/settings.py, audit/wsgi.py): gunicorn on
   127.0.0.1:AUDIT_PORT, DEBUG off, WhiteNoise's compressed static files with far-future
   cache headers, the page cache on (pages are sent gzipped, as from Redis in production).
3. Finds one URL per public page type through the read-only API (/api/v2/pages/).
4. Checks each page's HTML with the Nu HTML checker (vnu.jar, from audit/node_modules).
5. Runs Lighthouse (performance, accessibility, best practices, SEO) on each page with the
   desktop and the mobile preset, in Debian's Chromium (CHROMIUM_PATH), never a downloaded
   browser; the JSON reports go to var/audit/lighthouse/.
6. Adds up the CSS and JavaScript each page loads, as sent gzipped.
7. Prints a Markdown table and writes it, with every Nu message and every Lighthouse audit
   below 100, to var/audit/report.md (and the numbers to var/audit/summary.json).

Exits 1 if the Nu checker finds an error (or a page does not answer as it should), 0
otherwise: Lighthouse scores are reported, never asserted, since performance depends on the
machine's load. AUDIT_PAGES=home,search limits a run to some pages (labels as in the table).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "audit"
VAR = ROOT / "var" / "audit"
DATABASE = ROOT / "var" / "audit.sqlite3"
NODE_MODULES = AUDIT / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
BIN = Path(sys.executable).parent

PORT = int(os.environ.get("AUDIT_PORT", "8100"))
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
JAVA = os.environ.get("JAVA", shutil.which("java") or "/usr/bin/java")

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("desktop", "mobile")
BUDGET_BYTES = 60 * 1024  # the CSS and JavaScript of a page together, gzipped
# The metropolises the issue names: a partner city with a profile and one with partners.
METROPOLISES = ("helsinki", "riga")
MISSING_PATH = "/this-page-does-not-exist/"
SEARCH_QUERY = "innovation"


@dataclass
class AuditPage:
    label: str
    path: str
    status: int = 200
    # A form's error state: the page is fetched, then this is posted to it with the form's
    # CSRF token, and the answer (a 400 with the errors) is what is checked, by the Nu HTML
    # checker only (Lighthouse loads pages by GET).
    post: dict[str, str] | None = None
    # Categories whose score is not expected to be 100, and why.
    exempt: dict[str, str] = field(default_factory=dict)
    html_file: Path | None = None
    answered: int | None = None
    scores: dict[str, dict[str, float | None]] = field(default_factory=dict)
    lighthouse_errors: dict[str, str] = field(default_factory=dict)
    below_100: dict[str, list[str]] = field(default_factory=dict)
    nu_errors: list[dict] = field(default_factory=list)
    nu_warnings: list[dict] = field(default_factory=list)
    assets: dict[str, int] = field(default_factory=dict)
    asset_notes: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return BASE + self.path

    @property
    def asset_bytes(self) -> int:
        return sum(self.assets.values())


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- The database and the server ---------------------------------------------------------------


def django_env() -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "audit.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Whatever DATABASE_URL says (PostgreSQL, `make run`'s database) is not used here.
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "WAGTAILADMIN_BASE_URL": BASE,
        # One process with its own page cache (local memory), pages kept for the whole run.
        "REDIS_URL": "",
        "PAGE_CACHE": "true",
        "PAGE_CACHE_TIMEOUT": "7200",
        "PAGE_CACHE_RELEASE": f"audit-{time.time_ns()}",
        "LOG_FORMAT": "text",
        "PYTHONUNBUFFERED": "1",
    }
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict[str, str]) -> str:
    """Migrate, load the seed content and the odd-size picture; the picture's page path."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_seed_content", "-v", "0")
    result = subprocess.run(
        [sys.executable, str(AUDIT / "content.py")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    *lines, path = result.stdout.strip().splitlines()
    for line in lines:
        print(f"    {line}")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return path


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class Server:
    """gunicorn with the audit's settings on 127.0.0.1:PORT, stopped on leaving."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log = None

    def __enter__(self) -> Server:
        self.log = (VAR / "server.log").open("w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "audit.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                # One process, so that the page cache (local memory) warmed below is the
                # one every request finds.
                "--workers",
                "1",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {VAR / 'server.log'}")
            try:
                fetch(f"{BASE}/robots.txt", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{BASE} did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()


def fetch(url: str, timeout: float = 60, gzip_ok: bool = False):
    """(status, headers, body as sent) of a GET; 4xx and 5xx answers too."""
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def post_form(url: str, data: dict[str, str]):
    """(status, headers, body) of posting `data` to the form at `url`, as a browser would:
    with the CSRF cookie and token the form was served with. The cookie is sent by hand, as
    production marks it Secure and this is plain HTTP on loopback."""
    status, headers, body = fetch(url)
    token = CSRF_INPUT.search(decoded(headers, body))
    cookie = next(
        (
            value.split(";")[0]
            for value in headers.get_all("Set-Cookie") or []
            if "csrftoken=" in value
        ),
        "",
    )
    if status != 200 or token is None or not cookie:
        return status, headers, body
    payload = urlencode({**data, "csrfmiddlewaretoken": token.group(1).decode()}).encode()
    request = urllib.request.Request(url, data=payload, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def decoded(headers, body: bytes) -> bytes:
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


# --- The pages ---------------------------------------------------------------------------------


def api_pages(page_type: str, **params: str) -> list[dict]:
    query = urlencode({"type": page_type, "limit": "100", **params})
    status, _, body = fetch(f"{BASE}/api/v2/pages/?{query}")
    if status != 200:
        raise RuntimeError(f"the API answered {status} for {page_type}")
    return json.loads(body)["items"]


def first_path(page_type: str, *, besides: str = "", **params: str) -> str:
    """The path of the first published page of a type (but `besides`), in the API's order."""
    paths = [urlsplit(item["meta"]["html_url"]).path for item in api_pages(page_type, **params)]
    paths = [path for path in paths if path != besides]
    if not paths:
        raise RuntimeError(f"no published {page_type} in the audit's database")
    return paths[0]


def contact_form_path() -> str:
    """The contact form of the first organisation, below its metropolis's slug."""
    organisation = urlsplit(
        api_pages("partners.OrganisationPage", order="title")[0]["meta"]["html_url"]
    ).path
    metropolis, slug = organisation.strip("/").split("/")[-2:]
    return f"/contact/{metropolis}/{slug}/"


def registration_path() -> str:
    event = api_pages("events.EventPage", slug="a-workshop-open-for-registration")[0]
    return f"/events/{event['id']}/register/"


def discover_pages(odd_picture_path: str) -> list[AuditPage]:
    """One page of every public type, found through the API in the seed content."""
    home = api_pages("home.HomePage")[0]
    metropolises = {
        item["meta"]["slug"]: urlsplit(item["meta"]["html_url"]).path
        for item in api_pages("partners.MetropolisPage")
    }
    chosen = [slug for slug in METROPOLISES if slug in metropolises] or list(metropolises)[:1]
    pages = [
        AuditPage("home", urlsplit(home["meta"]["html_url"]).path),
        AuditPage("about (standard page)", first_path("baltmet.StandardPage", child_of=home["id"])),
        AuditPage("action plan", first_path("actionplan.ActionPlanPage")),
        AuditPage("related projects", first_path("projects.RelatedProjectsPage")),
        AuditPage("people", first_path("partners.PeoplePage")),
        AuditPage("benchmark (empty)", first_path("benchmark.BenchmarkPage")),
        AuditPage("library", first_path("library.LibraryPage")),
        AuditPage("library entry", first_path("library.LibraryEntryPage")),
        AuditPage("partners index", first_path("partners.PartnersIndexPage")),
        *(AuditPage(f"metropolis {slug}", metropolises[slug]) for slug in chosen),
        AuditPage("organisation", first_path("partners.OrganisationPage")),
        AuditPage("work packages index", first_path("workpackages.WorkPackageIndexPage")),
        AuditPage("work package", first_path("workpackages.WorkPackagePage", order="number")),
        AuditPage("news index", first_path("news.NewsIndexPage")),
        AuditPage(
            "news item", first_path("news.NewsPage", order="-date", besides=odd_picture_path)
        ),
        AuditPage("news item with 601×397 picture", odd_picture_path),
        AuditPage("events index", first_path("events.EventIndexPage")),
        AuditPage("event", first_path("events.EventPage", order="-start_date")),
        AuditPage("sitemap", "/sitemap/"),
        AuditPage("open data", "/data/"),
        AuditPage(
            "library, filtered and searched",
            f"/library/?{urlencode({'q': 'benchmark', 'work_package': 'cluster-development'})}",
        ),
        # Not translated yet: the English page in the Latvian interface, with the notice, the
        # switcher and lang attributes (baltmet/languages/).
        AuditPage(
            "organisation in Latvian (English with the notice)",
            "/lv" + first_path("partners.OrganisationPage"),
        ),
        # Translated (audit/content.py): under the German home and partners pages, which are
        # aliases of the English ones.
        AuditPage(
            "metropolis in German (a translation)",
            first_path("partners.MetropolisPage", locale="de"),
        ),
        # The public forms, and each sent back empty (or with a bad address): the error
        # summary, the messages and the fields marked invalid.
        AuditPage("contact form", "/contact/"),
        AuditPage("contact form, errors", "/contact/", status=400, post={"name": ""}),
        AuditPage("contact form to an organisation", contact_form_path()),
        AuditPage("newsletter form", "/newsletter/"),
        AuditPage("newsletter form, errors", "/newsletter/", status=400, post={"email": "x"}),
        AuditPage("registration form", registration_path()),
        AuditPage("registration form, errors", registration_path(), status=400, post={}),
        AuditPage(
            "search results",
            f"/search/?{urlencode({'q': SEARCH_QUERY})}",
            exempt={"seo": "noindex"},
        ),
        AuditPage(
            "404 page",
            MISSING_PATH,
            status=404,
            # Its status fails SEO's status-code audit, and Chromium logs it to the console.
            exempt={"seo": "404", "best-practices": "404 logged"},
        ),
    ]
    wanted = [label.strip() for label in os.environ.get("AUDIT_PAGES", "").split(",") if label]
    if wanted:
        pages = [page for page in pages if any(w in page.label for w in wanted)]
    return pages


def save_html(pages: list[AuditPage]) -> bool:
    """Fetch each page twice (the second from the page cache) and keep its HTML."""
    html_dir = VAR / "html"
    shutil.rmtree(html_dir, ignore_errors=True)
    html_dir.mkdir(parents=True)
    all_answered = True
    for number, page in enumerate(pages, 1):
        for _ in range(2):
            if page.post is not None:
                status, headers, body = post_form(page.url, page.post)
            else:
                status, headers, body = fetch(page.url, gzip_ok=True)
        page.answered = status
        if status != page.status:
            all_answered = False
            print(f"    {page.label}: {page.path} answered {status}, not {page.status}")
        page.html_file = (
            html_dir / f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', page.label).strip('-')}.html"
        )
        page.html_file.write_bytes(decoded(headers, body))
    return all_answered


# --- The Nu HTML checker -----------------------------------------------------------------------


def nu_check(pages: list[AuditPage]) -> None:
    files = {page.html_file.resolve(): page for page in pages}
    result = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
    )
    (VAR / "nu.json").write_text(result.stdout)
    for message in json.loads(result.stdout)["messages"]:
        page = files.get(Path(urlsplit(message.get("url", "")).path).resolve())
        if page is None:  # a message about no file: the checker itself failed
            raise RuntimeError(f"Nu HTML checker: {message}")
        if message["type"] in ("error", "non-document-error"):
            page.nu_errors.append(message)
        elif message.get("subType") == "warning":
            page.nu_warnings.append(message)


# --- Lighthouse --------------------------------------------------------------------------------


def lighthouse(page: AuditPage, preset: str, number: int) -> None:
    report = VAR / "lighthouse" / f"{number:02d}-{page.html_file.stem[3:]}.{preset}.json"
    chrome_flags = ["--headless=new", "--disable-dev-shm-usage"]
    if os.geteuid() == 0:
        chrome_flags.append("--no-sandbox")  # Chromium refuses to run as root otherwise
    command = [
        str(LIGHTHOUSE),
        page.url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(chrome_flags)}",
        "--disable-full-page-screenshot",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    if page.status != 200:
        command.append("--ignore-status-code")
    fetch(page.url)  # the page is in the page cache, whatever Lighthouse asks first
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not report.exists():
        page.lighthouse_errors[preset] = (result.stderr.strip().splitlines() or ["failed"])[-1]
        page.scores[preset] = dict.fromkeys(CATEGORIES)
        return
    lhr = json.loads(report.read_text())
    if lhr.get("runtimeError"):
        page.lighthouse_errors[preset] = lhr["runtimeError"].get("message", "runtime error")
    page.scores[preset] = {name: lhr["categories"][name]["score"] for name in CATEGORIES}
    for name in CATEGORIES:
        for ref in lhr["categories"][name]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                if name != "performance":
                    shown += "".join(f"; {detail}" for detail in audit_details(audit))
                page.below_100.setdefault(f"{name} · {audit['title']}{shown}", []).append(preset)
    for item in lhr["audits"].get("network-requests", {}).get("details", {}).get("items", []):
        if item.get("resourceType") in ("Stylesheet", "Script"):
            page.assets.setdefault(item["url"], 0)


def audit_details(audit: dict, limit: int = 3) -> list[str]:
    """What a failed audit points at: elements, messages or URLs, the first few."""
    found = []
    for item in audit.get("details", {}).get("items", [])[:limit]:
        node = item.get("node") or (
            item.get("source") if isinstance(item.get("source"), dict) else {}
        )
        if node.get("snippet"):
            found.append(f"`{node['snippet'][:160]}`")
        elif item.get("description"):
            location = item.get("sourceLocation", {}).get("url", "")
            found.append(f"{item['description'][:160]} {location}".strip())
        elif item.get("url"):
            found.append(item["url"])
    return found


def measure_assets(page: AuditPage) -> None:
    """The gzipped size of each stylesheet and script as the server sends it."""
    if not page.assets and page.html_file:  # Lighthouse failed: what the HTML links
        html = page.html_file.read_text()
        for link in re.findall(r"<link\b[^>]*>", html):
            if re.search(r'rel="?stylesheet', link):
                page.assets[urljoin(page.url, re.search(r'href="([^"]+)"', link).group(1))] = 0
        for src in re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html):
            page.assets[urljoin(page.url, src)] = 0
    for url in page.assets:
        status, headers, body = fetch(url, gzip_ok=True)
        if headers.get("Content-Encoding") == "gzip":
            page.assets[url] = len(body)
        else:
            page.assets[url] = len(gzip.compress(body, 9))
            page.asset_notes.append(f"{url} is sent uncompressed (gzip -9 size counted)")
        cache_control = headers.get("Cache-Control", "")
        if status != 200 or "max-age=315360000" not in cache_control:
            page.asset_notes.append(f"{url}: {status}, Cache-Control: {cache_control or 'none'}")


# --- The report --------------------------------------------------------------------------------


def score_cell(page: AuditPage, preset: str) -> str:
    if preset in page.lighthouse_errors and not any(page.scores[preset].values()):
        return "failed"
    cells = []
    for name in CATEGORIES:
        score = page.scores.get(preset, {}).get(name)
        text = "–" if score is None else str(round(score * 100))
        cells.append(f"{text}*" if name in page.exempt else text)
    return "/".join(cells)


def code(text: str) -> str:
    return f"`{text}`"


def md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(pages: list[AuditPage], started: float) -> str:
    lines = [
        f"# Audit of the public pages, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Lighthouse {lighthouse_version()} in {chromium_version()}; Nu HTML checker "
        f"{vnu_version()}. Scores are performance/accessibility/best practices/SEO; "
        "* marks a score not expected to be 100: SEO of the search results (noindex), SEO "
        "and best practices of the 404 page (its status fails the status-code audit and is "
        "logged to the console). CSS+JS: every stylesheet and script the page loads, as sent "
        f"gzipped (budget {BUDGET_BYTES:,} bytes).",
        "",
        "| page | Lighthouse desktop | Lighthouse mobile | Nu errors | Nu warnings "
        "| CSS+JS gzip bytes |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for page in pages:
        over = " (over budget)" if page.asset_bytes > BUDGET_BYTES else ""
        lines.append(
            f"| {page.label} (`{page.path}`) | {score_cell(page, 'desktop')} | "
            f"{score_cell(page, 'mobile')} | {len(page.nu_errors)} | {len(page.nu_warnings)} | "
            f"{page.asset_bytes:,}{over} |"
        )
    errors = [(page, message) for page in pages for message in page.nu_errors]
    lines += ["", f"## Nu HTML checker errors ({len(errors)})", ""]
    lines += [f"- `{page.path}` {nu_line(message)}" for page, message in errors] or ["None."]
    warnings: dict[str, list[str]] = {}
    for page in pages:
        for message in page.nu_warnings:
            warnings.setdefault(message["message"], []).append(page.path)
    lines += ["", f"## Nu HTML checker warnings ({sum(map(len, warnings.values()))})", ""]
    lines += [
        f"- {md(message)} ({len(paths)}×): {', '.join(map(code, dict.fromkeys(paths)))}"
        for message, paths in warnings.items()
    ] or ["None."]
    lines += ["", "## Lighthouse audits below 100", ""]
    below = [(page, audit, presets) for page in pages for audit, presets in page.below_100.items()]
    lines += [
        f"- `{page.path}` ({'/'.join(presets)}): {md(audit)}" for page, audit, presets in below
    ] or ["None."]
    failures = [
        (page, preset, error) for page in pages for preset, error in page.lighthouse_errors.items()
    ]
    if failures:
        lines += ["", "## Lighthouse failures", ""]
        lines += [f"- `{page.path}` ({preset}): {md(error)}" for page, preset, error in failures]
    notes = sorted({note for page in pages for note in page.asset_notes})
    assets = sorted({url for page in pages for url in page.assets})
    lines += ["", "## CSS and JavaScript", ""]
    lines += [f"- `{urlsplit(url).path}`" for url in assets] or ["None loaded."]
    lines += [f"- {note}" for note in notes]
    lines += ["", f"Took {(time.monotonic() - started) / 60:.1f} minutes."]
    return "\n".join(lines) + "\n"


def nu_line(message: dict) -> str:
    where = f"line {message.get('lastLine', '?')}"
    extract = f" — `{md(message['extract'].strip())}`" if message.get("extract") else ""
    return f"{where}: {md(message['message'])}{extract}"


def lighthouse_version() -> str:
    package = NODE_MODULES / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]


def vnu_version() -> str:
    return json.loads((NODE_MODULES / "vnu-jar" / "package.json").read_text())["version"]


def chromium_version() -> str:
    result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    return result.stdout.strip() or "Chromium"


# --- Main --------------------------------------------------------------------------------------


def main() -> int:
    started = time.monotonic()
    for path, what in ((LIGHTHOUSE, "npm ci in audit/"), (VNU_JAR, "npm ci in audit/")):
        if not path.exists():
            sys.exit(f"{path} is missing: run `make audit` (it does {what}).")
    for program, package in ((CHROMIUM, "chromium"), (JAVA, "default-jre-headless")):
        if not shutil.which(program):
            sys.exit(f"{program} not found (Debian: sudo apt-get install {package}).")
    if not port_is_free(PORT):
        sys.exit(f"Port {PORT} is taken: set AUDIT_PORT to a free one.")
    VAR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(VAR / "lighthouse", ignore_errors=True)
    (VAR / "lighthouse").mkdir()

    step(f"Database {DATABASE.relative_to(ROOT)}: migrations, seed content, a 601×397 picture")
    env = django_env()
    odd_picture_path = prepare_database(env)

    with Server(env):
        step(f"Serving the portal as in production on {BASE}")
        pages = discover_pages(odd_picture_path)
        all_answered = save_html(pages)

        step(f"Nu HTML checker on {len(pages)} pages")
        nu_check(pages)

        step(f"Lighthouse on {len(pages)} pages × {len(PRESETS)} presets")
        for number, page in enumerate(pages, 1):
            if page.post is not None:
                continue  # an error state: the Nu HTML checker's only
            for preset in PRESETS:
                began = time.monotonic()
                lighthouse(page, preset, number)
                print(
                    f"    {page.label:<28} {preset:<7} {score_cell(page, preset):<15} "
                    f"{time.monotonic() - began:4.0f} s",
                    flush=True,
                )
            measure_assets(page)

    text = report(pages, started)
    (VAR / "report.md").write_text(text)
    summary = [
        {
            "page": page.label,
            "path": page.path,
            "status": page.answered,
            "scores": page.scores,
            "nu_errors": page.nu_errors,
            "nu_warnings": len(page.nu_warnings),
            "css_js_gzip_bytes": page.asset_bytes,
        }
        for page in pages
    ]
    (VAR / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print()
    print(text)
    print(
        f"Written to {VAR.relative_to(ROOT)}/report.md; Lighthouse reports in "
        f"{(VAR / 'lighthouse').relative_to(ROOT)}/"
    )
    nu_errors = sum(len(page.nu_errors) for page in pages)
    if nu_errors or not all_answered:
        print(
            f"FAILED: {nu_errors} Nu HTML checker errors"
            + ("" if all_answered else "; a page did not answer as it should")
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

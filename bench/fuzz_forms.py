#!/usr/bin/env python3
"""Form fuzzing (issue 14): every form of a running Wspólnie server, hostile values, 5xx count.

Standard library only. Normally started by bench/fuzz_forms.sh, which starts the server, creates
the administrator and passes everything through the environment:

  FUZZ_BASE          http://127.0.0.1:PORT
  FUZZ_DB_KIND       sqlite | postgres       FUZZ_DB   SQLite file or PostgreSQL URL (psql)
  FUZZ_ADMIN_EMAIL / FUZZ_ADMIN_PASSWORD     an account made with `wspolnie create-admin`
  FUZZ_LOG           the server's stderr (RUST_LOG=warn), searched for each 5xx's request id
  FUZZ_OUT           JSON report path
  FUZZ_BUDGET        seconds of fuzzing (default 420); the per-field pass stops when it is spent
  FUZZ_MAX_PAGES     pages crawled per session (default 400)
  FUZZ_FIELDS        per-field variants for at most this many fields per form (default 8)
  FUZZ_ROOT          repository root (route list read from the source)
  FUZZ_MFA_EMAIL / FUZZ_MFA_SETUP_EMAIL   administrators (same password) left at the second
                     factor: with TOTP set (/konto/2fa), at a first sign-in (/konto/2fa/konfiguracja)
  FUZZ_MAIL_DIR      the file transport's directory: links in the mails are crawled in round 2

Sessions: anonymous, administrator (TOTP secret set in the database, code computed here),
NGO member (signed up over HTTP, e-mail confirmation set in the database, one organisation
registered, one draft article and event), the two second-factor sessions. Exit status 0 when no 5xx and no broken connection was seen, else 1.
"""

import base64
import glob
import hashlib
import hmac
import html
import http.client
import json
import os
import re
import secrets
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
from html.parser import HTMLParser

BASE = os.environ.get("FUZZ_BASE", "http://127.0.0.1:8080").rstrip("/")
U = urllib.parse.urlsplit(BASE)
HOST, PORT = U.hostname, U.port or 80
DB_KIND = os.environ.get("FUZZ_DB_KIND", "sqlite")
DB = os.environ.get("FUZZ_DB", "")
ADMIN_EMAIL = os.environ.get("FUZZ_ADMIN_EMAIL", "")
ADMIN_PASSWORD = os.environ.get("FUZZ_ADMIN_PASSWORD", "")
LOG = os.environ.get("FUZZ_LOG", "")
OUT = os.environ.get("FUZZ_OUT", "")
BUDGET = float(os.environ.get("FUZZ_BUDGET", "420"))
MAX_PAGES = int(os.environ.get("FUZZ_MAX_PAGES", "400"))
MAX_FIELDS = int(os.environ.get("FUZZ_FIELDS", "8"))
ROOT = os.environ.get("FUZZ_ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PER_PATTERN = 2  # pages crawled per route pattern (e.g. two organisation profiles, not 120)

NGO_EMAIL = "fuzz-ngo@example.org"
NGO_PASSWORD = "hasło członka organizacji do fuzzingu"


def log(*a):
    print("[fuzz]", *a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- payloads
# Each payload is raw bytes (already UTF-8 or deliberately not). REPEAT is special-cased.
REPEAT = "repeat-key-10000"
PAYLOADS = [
    ("nul", b"a\x00b"),
    ("c0-del", b"\x01\x1b\x7f"),
    ("crlf", b"line one\r\nBcc: x@example.org"),
    ("1mb", b"x" * (1 << 20)),
    ("nines-40", b"9" * 40),
    ("minus-1", b"-1"),
    ("i64-overflow", b"9223372036854775808"),
    ("1e309", b"1e309"),
    ("sql", b"'; DROP TABLE users;--"),
    ("script", b"<script>alert(1)</script>"),
    ("rtl", "\u202eabc".encode()),
    ("invalid-utf8", b"\xed\xb2\x80"),
    ("pct00-literal", b"%00"),
    ("empty", b""),
    (REPEAT, b"1"),
    ("date-feb30", b"2027-02-30"),
    ("dst-gap", b"2027-03-28T02:30"),
    ("year-0", b"0000-01-01"),
]
PAYLOAD = dict(PAYLOADS)

# Forms never submitted, by route pattern: they would end the fuzzing session or remove the
# fuzzing accounts (and the reason is printed in the report).
SKIP = {
    "/konto/wyloguj": "sign-out ends the session",
    "/panel/sesje/zakoncz": "ends sessions (the fuzzing one included)",
    "/panel/konto/usun": "deletes the fuzzing account",
    "/panel/admin/uzytkownicy/odbierz": "removes roles (the fuzzing administrator's too)",
}
SKIP_LINKS = ("/pliki/", "wyloguj", "/static/", "/assets/")
SKIP_EXT = (".csv", ".ics", ".atom", ".json", ".pdf", ".png", ".jpg", ".svg", ".css", ".js", ".xml", ".txt")


# ------------------------------------------------------------------------------------ routes
def routes():
    """(method, pattern) from the source: crates/areas/src/*/mod.rs and crates/web/src/routes.rs."""
    files = sorted(glob.glob(os.path.join(ROOT, "crates/areas/src/*/mod.rs")))
    files.append(os.path.join(ROOT, "crates/web/src/routes.rs"))
    out = []
    for f in files:
        try:
            s = open(f, encoding="utf-8").read()
        except OSError:
            continue
        for m in re.finditer(r'\.add\(\s*"([A-Z]+)",\s*"(/[^"]*)"', s):
            out.append((m.group(1), m.group(2)))
    return out


ROUTES = routes()


def pattern_re(p):
    return re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(p)) + "$")


ROUTE_RES = [(m, p, pattern_re(p)) for m, p in ROUTES]


def route_of(method, path):
    """The route pattern a path matches (fixed routes first), else the path with digits → N."""
    best = None
    for m, p, r in ROUTE_RES:
        if m == method and r.match(path):
            if best is None or p.count("{") < best.count("{"):
                best = p
    return best or re.sub(r"\d+", "N", path)


# -------------------------------------------------------------------------------------- HTTP
class Session:
    def __init__(self, kind, rotate=False):
        self.kind = kind
        self.cookies = {}
        self.conn = None
        self.rotate = rotate  # a new 127.x source address every few requests (per-IP throttles)
        self.n = 0
        self.src = None

    def _connect(self):
        if self.conn:
            self.conn.close()
        src = None
        if self.rotate:
            k = self.n // 6
            src = (f"127.{1 + (k // 250) % 250}.{1 + k % 250}.{1 + (k // 62500) % 250}", 0)
        self.src = src
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=120, source_address=src)

    def request(self, method, path, body=None, ctype=None):
        """-> (status, headers dict (lower-case), body bytes); status 0 on a broken connection."""
        hdrs = {"Host": f"{HOST}:{PORT}", "User-Agent": "wspolnie-fuzz"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if ctype:
            hdrs["Content-Type"] = ctype
        if body is not None:
            hdrs["Content-Length"] = str(len(body))
        for attempt in range(2):
            if self.conn is None or (self.rotate and self.n % 6 == 0):
                self._connect()
            self.n += 1
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                r = self.conn.getresponse()
                data = r.read()
                h = {}
                for k, v in r.getheaders():
                    k = k.lower()
                    if k == "set-cookie":
                        self._cookie(v)
                    h[k] = v
                if h.get("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, h, data
            except (http.client.HTTPException, OSError) as e:
                self.conn.close()
                self.conn = None
                err = e
                # A server may answer (413, 431) and close before it has read a huge request:
                # send it again on a raw socket that ignores the failed write and reads the answer.
                got = self._raw(method, path, body, hdrs)
                if got is not None:
                    return got
        return 0, {"error": f"closed without an answer ({err!r})"}, b""

    def _raw(self, method, path, body, hdrs):
        try:
            sock = socket.create_connection((HOST, PORT), timeout=30, source_address=self.src)
        except OSError:
            return None
        try:
            head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
            head += "Connection: close\r\n\r\n"
            try:
                sock.sendall(head.encode("latin-1") + (body or b""))
            except OSError:
                pass
            r = http.client.HTTPResponse(sock, method=method)
            try:
                r.begin()
                data = r.read()
            except (http.client.HTTPException, OSError):
                return None
            h = {}
            for k, v in r.getheaders():
                k = k.lower()
                if k == "set-cookie":
                    self._cookie(v)
                h[k] = v
            return r.status, h, data
        finally:
            sock.close()

    def _cookie(self, v):
        first = v.split(";", 1)[0]
        if "=" not in first:
            return
        k, val = first.split("=", 1)
        low = v.lower()
        if val == "" or "max-age=0" in low or "expires=thu, 01 jan 1970" in low:
            self.cookies.pop(k.strip(), None)
        else:
            self.cookies[k.strip()] = val.strip()

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, pairs):
        body = urllib.parse.urlencode(pairs).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")


# ------------------------------------------------------------------------------- HTML parsing
class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action", ""),
                "enctype": a.get("enctype", "application/x-www-form-urlencoded").lower(),
                "fields": [],
            }
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            t = (a.get("type") or "text").lower()
            f = {"name": a["name"], "type": t, "value": a.get("value", "")}
            if t in ("checkbox", "radio"):
                f["checked"] = "checked" in a
                if "value" not in a:
                    f["value"] = "on"
            self.form["fields"].append(f)
        elif tag == "button" and a.get("name"):
            self.form["fields"].append({"name": a["name"], "type": "submit", "value": a.get("value", "")})
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "type": "select", "value": None, "selected": None, "options": []}
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            v = a.get("value")
            self._opt = v
            if v is not None:
                self.select["options"].append(v)
                if self.select["value"] is None:
                    self.select["value"] = v
                if "selected" in a:
                    self.select["selected"] = v
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self.form["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            s = self.select
            if s["selected"] is not None:
                s["value"] = s["selected"]
            if s["value"] is None:
                s["value"] = ""
            s.pop("selected", None)
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def parse(page):
    p = PageParser()
    try:
        p.feed(page.decode("utf-8", "replace"))
    except Exception as e:  # noqa: BLE001 - a page we cannot parse is reported, not fatal
        log("parse error:", e)
    return p


def same_site(href, current):
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    u = urllib.parse.urljoin(BASE + current, href)
    s = urllib.parse.urlsplit(u)
    if s.scheme != "http" or s.hostname != HOST or (s.port or 80) != PORT:
        return None
    return s.path + (("?" + s.query) if s.query else "")


def csrf_of(page):
    m = re.search(rb'name="_csrf" value="([^"]*)"', page)
    return html.unescape(m.group(1).decode()) if m else None


# --------------------------------------------------------------------------------- database
def sql(statement):
    if DB_KIND == "postgres":
        cmd = ["psql", DB, "-v", "ON_ERROR_STOP=1", "-qAtc", statement]
    else:
        cmd = ["sqlite3", DB, statement]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {r.stderr.strip()}")
    return r.stdout.strip()


# ------------------------------------------------------------------------------------- TOTP
def totp(secret_b32, t=None):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    step = int((t or time.time()) // 30)
    d = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = d[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000)


# -------------------------------------------------------------------------------- sign-ins
def sign_in(s, email, password):
    st, h, page = s.get("/konto/logowanie")
    t = csrf_of(page)
    st, h, _ = s.post_form("/konto/logowanie", [("_csrf", t), ("email", email), ("password", password)])
    return st, h.get("location", "")


def admin_session():
    s = Session("admin")
    secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
    uid = sql(f"SELECT id FROM users WHERE email = '{ADMIN_EMAIL}'")
    sql(
        f"UPDATE users SET totp_secret = '{secret}', totp_enabled_at = created_at, "
        f"recovery_codes = '[]', totp_last_step = NULL WHERE id = {int(uid)}"
    )
    s.secret, s.uid = secret, int(uid)
    admin_sign_in(s)
    return s


def admin_sign_in(s):
    s.cookies.clear()
    sql(f"UPDATE users SET totp_last_step = NULL WHERE id = {s.uid}")
    st, where = sign_in(s, ADMIN_EMAIL, ADMIN_PASSWORD)
    if not where.endswith("/konto/2fa"):
        raise RuntimeError(f"admin sign-in: {st} → {where!r}")
    _, _, page = s.get("/konto/2fa")
    st, h, _ = s.post_form("/konto/2fa", [("_csrf", csrf_of(page)), ("code", totp(s.secret))])
    if not h.get("location", "").endswith("/panel"):
        raise RuntimeError(f"admin second factor: {st} → {h.get('location')!r}")


def ngo_session():
    s = Session("ngo")
    _, _, page = s.get("/konto/rejestracja")
    s.post_form("/konto/rejestracja", [
        ("_csrf", csrf_of(page)), ("name", "Fuzz Organizacja"), ("email", NGO_EMAIL),
        ("password", NGO_PASSWORD), ("password_confirm", NGO_PASSWORD), ("privacy", "yes"),
    ])
    sql(f"UPDATE users SET email_verified_at = created_at WHERE email = '{NGO_EMAIL}'")
    ngo_sign_in(s)
    # One organisation, so that its panel forms exist.
    _, _, page = s.get("/panel/organizacje/nowa")
    forms = [f for f in parse(page).forms
             if f["method"] == "post" and f["action"].split("?")[0].endswith("/panel/organizacje/nowa")]
    if not forms:
        raise RuntimeError("no form on /panel/organizacje/nowa")
    form = forms[0]
    form["action_full"] = same_site(form["action"], "/panel/organizacje/nowa") if form["action"] else "/panel/organizacje/nowa"
    good = {
        "name": "Fundacja Fuzz",
        "short_description": "Fundacja do testów formularzy: pomagamy mieszkańcom Zatorza w sprawach sąsiedzkich.",
        "email": "biuro@fuzz.example.org", "street": "Długa 1", "city": "Wierzbin",
        "postal_code": "00-001", "phone": "", "website": "",
    }
    # the first real option of each select (the first one is "choose…", empty)
    for f in form["fields"]:
        if f["type"] == "select" and f["name"] in ("legal_form", "district") and not good.get(f["name"]):
            good[f["name"]] = f.get("options", [""])[1] if len(f.get("options", [])) > 1 else f["value"]
    values = defaults(form)
    seen_leading = False
    pairs = []
    for name, v, f in values:
        if name in good:
            v = good[name]
        if f["type"] == "checkbox" and name == "leading" and not seen_leading:
            seen_leading = True
            pairs.append((name, f["value"]))
            continue
        pairs.append((name, v))
    if not seen_leading:
        first = next((f for f in form["fields"] if f["name"] == "leading"), None)
        if first:
            pairs.append(("leading", first["value"]))
    st, h, body = submit(s, form, pairs)
    where = h.get("location", "")
    log(f"NGO organisation: {st} → {where or '(form again)'}")
    if st == 200:
        log("form errors:", re.findall(r'<li><a href="#[^"]*">([^<]+)', body.decode("utf-8", "replace")))
    s.org_ok = st in (302, 303)
    return s


def ngo_sign_in(s):
    s.cookies.clear()
    st, where = sign_in(s, NGO_EMAIL, NGO_PASSWORD)
    if not where.endswith("/panel"):
        raise RuntimeError(f"NGO sign-in: {st} → {where!r}")


def mfa_session(kind, email, with_totp):
    """A staff session waiting for its second factor: /konto/2fa (TOTP set) or
    /konto/2fa/konfiguracja (first sign-in, TOTP to be set up)."""
    s = Session(kind)
    s.email = email
    s.uid = int(sql(f"SELECT id FROM users WHERE email = '{email}'"))
    if with_totp:
        secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
        sql(f"UPDATE users SET totp_secret = '{secret}', totp_enabled_at = created_at, "
            f"recovery_codes = '[]', totp_last_step = NULL WHERE id = {s.uid}")
    s.pending = "/konto/2fa" if with_totp else "/konto/2fa/konfiguracja"
    mfa_sign_in(s)
    return s


def mfa_sign_in(s):
    s.cookies.clear()
    st, where = sign_in(s, s.email, ADMIN_PASSWORD)
    if not where.endswith(s.pending):
        raise RuntimeError(f"{s.kind} sign-in: {st} → {where!r}")


def signed_in(s):
    if s.kind.startswith("mfa"):
        return s.get(s.pending)[0] == 200
    st, h, _ = s.get("/panel")
    return st == 200


def ensure_session(s):
    if s.kind == "anonymous" or signed_in(s):
        return False
    log(f"{s.kind}: session lost, signing in again")
    {"admin": admin_sign_in, "ngo": ngo_sign_in}.get(s.kind, mfa_sign_in)(s)
    return True


# ------------------------------------------------------------------------- links sent by mail
def prepare_mail(sessions):
    """Things that make the server mail a link to a form reachable only from that link: a
    spare account's confirmation and password reset, a newsletter confirmation, an invitation.
    (Spare addresses, so that a successful submission harms none of the fuzzing accounts.)"""
    anon = Session("setup", rotate=True)
    pw = "hasło zapasowego konta do fuzzingu"
    _, _, page = anon.get("/konto/rejestracja")
    anon.post_form("/konto/rejestracja", [("_csrf", csrf_of(page)), ("name", "Fuzz Zapas"),
                   ("email", "fuzz-spare@example.org"), ("password", pw), ("password_confirm", pw),
                   ("privacy", "yes")])
    _, _, page = anon.get("/konto/reset-hasla")
    anon.post_form("/konto/reset-hasla", [("_csrf", csrf_of(page)), ("email", "fuzz-spare@example.org")])
    _, _, page = anon.get("/newsletter")
    f = next((f for f in parse(page).forms if f["method"] == "post" and f["action"].startswith("/newsletter")), None)
    if f:
        pairs = [(n, v) for n, v, _ in defaults(f) if n != "email"] + [("email", "fuzz-news@example.org")]
        for x in f["fields"]:
            if x["type"] == "checkbox":
                pairs.append((x["name"], x["value"]))
        anon.post_form("/newsletter", pairs)
    ngo = next(x for x in sessions if x.kind == "ngo")
    _, _, page = ngo.get("/panel/organizacje")
    m = re.search(rb"/panel/organizacje/(\d+)/", page)
    if m:
        org = int(m.group(1))
        create_valid(ngo, f"/panel/organizacje/{org}/aktualnosci/nowa", {
            "title": "Sprzątanie parku", "lead": "Zapraszamy wszystkich sąsiadów do wspólnego sprzątania parku.",
            "body": "W sobotę sprzątamy park przy ulicy Długiej. Rękawice i worki zapewniamy.",
            "action": "draft"})
        create_valid(ngo, f"/panel/organizacje/{org}/wydarzenia/nowe", {
            "title": "Sprzątanie parku", "description": "Wspólne sprzątanie parku przy ulicy Długiej, dla całych rodzin.",
            "start_date": "2027-05-15", "start_time": "10:00", "end_date": "2027-05-15", "end_time": "12:00",
            "place": "Park przy ulicy Długiej", "is_free": "1", "repeat": "", "action": "draft"},
            tick=("spheres",))
    admin = next(x for x in sessions if x.kind == "admin")
    _, _, page = admin.get("/panel/admin/zaproszenia")
    admin.post_form("/panel/admin/zaproszenia", [("_csrf", csrf_of(page)), ("email", "fuzz-invitee@example.org"),
                    ("role", "official:moderation")])


def create_valid(s, page_path, good, tick=()):
    """Submits the form of page_path (its action is the page itself) with good values, every
    select on its first non-empty option and the first box of each name in tick: one valid record,
    so that the record's own forms (edit, …) exist for the second crawl."""
    _, _, page = s.get(page_path)
    form = next((f for f in parse(page).forms
                 if f["method"] == "post" and f["action"].split("?")[0] == page_path), None)
    if form is None:
        log(f"no form on {page_path}")
        return
    form["action_full"] = form["action"]
    pairs = []
    for name, v, f in defaults(form):
        if name in good:
            v = good[name]
        elif f["type"] == "select" and not v:
            v = next((o for o in f.get("options", []) if o), "")
        pairs.append((name, v))
    for name in tick:
        box = next((f for f in form["fields"] if f["name"] == name), None)
        if box:
            pairs.append((name, box["value"]))
    st, h, body = submit(s, form, pairs)
    errors = re.findall(r'<li><a href="#[^"]*">([^<]+)', body.decode("utf-8", "replace")) if st == 200 else []
    log(f"valid record at {page_path}: {st} {h.get('location', '')} {errors}")


def mail_links():
    """Site paths of every link in the mails written so far (file transport)."""
    import email as _email
    from email import policy as _policy
    out = []
    d = os.environ.get("FUZZ_MAIL_DIR", "")
    if not d or not os.path.isdir(d):
        return out
    for root, _, files in os.walk(d):
        for fn in files:
            if not fn.endswith(".eml"):
                continue
            try:
                msg = _email.message_from_binary_file(open(os.path.join(root, fn), "rb"), policy=_policy.default)
                texts = [p.get_content() for p in msg.walk() if p.get_content_type() == "text/plain"]
            except Exception:  # noqa: BLE001 - one unreadable mail is not the point
                continue
            for t in texts:
                for u in re.findall(r"https?://[^\s<>\"')]+", t):
                    sp = urllib.parse.urlsplit(u)
                    path = sp.path + ("?" + sp.query if sp.query else "")
                    if route_of("GET", sp.path) in {p for m, p in ROUTES if m == "GET"} and path not in out:
                        out.append(path)
    return out


# -------------------------------------------------------------------------------------- crawl
def seeds():
    out = ["/", "/panel"]
    for m, p in ROUTES:
        if m == "GET" and "{" not in p and p not in out:
            out.append(p)
    return out


def skip_link(path):
    bare = path.split("?", 1)[0]
    return any(x in path for x in SKIP_LINKS) or bare.endswith(SKIP_EXT) or bare.startswith("/api/")


def crawl(s, forms, extra=()):
    queue, seen, per = list(extra) + seeds(), set(), {}
    pages = 0
    while queue and pages < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or skip_link(path):
            continue
        seen.add(path)
        bare, _, q = path.partition("?")
        key = (route_of("GET", bare), tuple(sorted(k for k, _ in urllib.parse.parse_qsl(q))))
        if per.get(key, 0) >= PER_PATTERN:
            continue
        per[key] = per.get(key, 0) + 1
        st, h, body = s.get(path)
        pages += 1
        if st in (301, 302, 303, 307, 308):
            nxt = same_site(h.get("location", ""), path)
            if nxt and nxt not in seen:
                queue.insert(0, nxt)
            continue
        if st >= 500 or st == 0:
            RESULTS["crawl_5xx"].append({"session": s.kind, "path": path, "status": st,
                                         "request_id": h.get("x-request-id")})
        if "text/html" not in h.get("content-type", ""):
            continue
        p = parse(body)
        for f in p.forms:
            f["page"] = path
            action = same_site(f["action"] or path, path) if f["action"] else path
            if action is None:
                continue
            f["action_full"] = action
            apath = action.split("?", 1)[0]
            f["route"] = route_of("POST" if f["method"] == "post" else "GET", apath)
            names = tuple(sorted({x["name"] for x in f["fields"]}))
            k = (s.kind, f["method"], f["route"], names)
            if k not in forms:
                forms[k] = f
        for href in p.links:
            n = same_site(href, path)
            if n and n not in seen and not skip_link(n):
                queue.append(n)
    return pages


# ------------------------------------------------------------------------------------ fuzzing
def defaults(form):
    """(name, value, field) as the browser would send the form untouched."""
    out = []
    radios = set()
    for f in form["fields"]:
        t = f["type"]
        if t == "submit" or t == "file":
            continue
        if t == "checkbox" and not f.get("checked"):
            continue
        if t == "radio":
            if f["name"] in radios or not f.get("checked"):
                continue
            radios.add(f["name"])
        out.append((f["name"], f["value"], f))
    # the first named submit button, as a click on it would send
    for f in form["fields"]:
        if f["type"] == "submit":
            out.append((f["name"], f["value"], f))
            break
    return out


def fuzzable(form):
    names = []
    for f in form["fields"]:
        if f["name"] == "_csrf" or f["type"] in ("submit", "file"):
            continue
        if f["name"] not in names:
            names.append(f["name"])
    return names


def enc(v):
    return v if isinstance(v, bytes) else v.encode()


def urlencoded(pairs):
    return b"&".join(urllib.parse.quote_from_bytes(enc(k), safe="") .encode() + b"=" +
                     urllib.parse.quote_from_bytes(enc(v), safe="").encode() for k, v in pairs)


def multipart(pairs, files):
    b = "----wspfuzz" + secrets.token_hex(8)
    out = []
    for k, v in pairs:
        out.append(b"--" + b.encode() + b"\r\nContent-Disposition: form-data; name=\"" + enc(k) +
                   b"\"\r\n\r\n" + enc(v) + b"\r\n")
    for k in files:
        out.append(b"--" + b.encode() + b"\r\nContent-Disposition: form-data; name=\"" + enc(k) +
                   b"\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n")
    out.append(b"--" + b.encode() + b"--\r\n")
    return b"".join(out), "multipart/form-data; boundary=" + b


def submit(s, form, pairs):
    """Sends the pairs the way the page's form would (urlencoded, multipart or a GET query)."""
    action = form["action_full"]
    if form["method"] != "post":
        bare = action.split("?", 1)[0]
        q = urlencoded(pairs).decode()
        return s.request("GET", bare + ("?" + q if q else ""))
    if "multipart" in form["enctype"]:
        files = [f["name"] for f in form["fields"] if f["type"] == "file"]
        body_pairs = [(k, v) for k, v in pairs if k != "_csrf"]
        tok = next((v for k, v in pairs if k == "_csrf"), None)
        path = action
        if tok is not None and "_csrf=" not in action:
            path += ("&" if "?" in action else "?") + "_csrf=" + urllib.parse.quote(tok)
        body, ct = multipart(body_pairs, files)
        return s.request("POST", path, body, ct)
    return s.request("POST", action, urlencoded(pairs), "application/x-www-form-urlencoded")


def build(form, token, payload_name, target):
    """target None: every fuzzable field hostile; else that one field."""
    value = PAYLOAD[payload_name]
    fz = fuzzable(form)
    hostile = set(fz) if target is None else {target}
    pairs, done = [], set()
    for name, v, f in defaults(form):
        if name == "_csrf":
            pairs.append((name, token if token is not None else v))
        elif name in hostile:
            if name not in done:
                done.add(name)
                pairs.append((name, b"1" if payload_name == REPEAT else value))
        else:
            pairs.append((name, v))
    for name in hostile - done:  # unchecked checkboxes and unselected radios get the payload too
        pairs.append((name, b"1" if payload_name == REPEAT else value))
    if payload_name == REPEAT:
        key = target if target is not None else (fz[0] if fz else "a")
        pairs += [(key, b"1")] * 10_000
        if target is None:
            pairs += [("a", b"1")] * 10_000
    return pairs


def describe(pairs, payload_name):
    """A short reproduction of a body: the payload written by name where it stands."""
    value = PAYLOAD[payload_name]
    out, rep = [], 0
    for k, v in pairs:
        v = enc(v)
        if payload_name == REPEAT and v == b"1":
            rep += 1
            continue
        if v == value and payload_name != "empty":
            out.append(f"{k}=<{payload_name}>")
        else:
            out.append(f"{k}={v.decode('utf-8', 'replace')[:60]}")
    if rep:
        out.append(f"(+ {rep} repeated key=1 pairs)")
    return "&".join(out)


RESULTS = {"crawl_5xx": []}


def status_class(st):
    return "conn-error" if st == 0 else f"{st // 100}xx"


def main():
    t0 = time.time()
    for need, name in ((ADMIN_EMAIL, "FUZZ_ADMIN_EMAIL"), (DB, "FUZZ_DB")):
        if not need:
            sys.exit(f"{name} is not set")
    sessions = [Session("anonymous", rotate=True), admin_session(), ngo_session()]
    for kind, env, with_totp in (("mfa-verify", "FUZZ_MFA_EMAIL", True), ("mfa-setup", "FUZZ_MFA_SETUP_EMAIL", False)):
        if os.environ.get(env):
            sessions.append(mfa_session(kind, os.environ[env], with_totp))
    prepare_mail(sessions)
    forms = {}
    pages = {}
    todo, skipped, done = [], [], set()
    counts = {}
    by_payload = {}
    fives = []
    sent = 0
    recs = []
    stopped = False
    deadline = t0 + BUDGET
    rec = None

    def fire(s, f, payload_name, target):
        nonlocal sent
        pairs = build(f, s.token, payload_name, target)
        st, h, body = submit(s, f, pairs)
        sent += 1
        c = status_class(st)
        counts[c] = counts.get(c, 0) + 1
        bp = by_payload.setdefault(payload_name, {})
        bp[c] = bp.get(c, 0) + 1
        rec["counts"][c] = rec["counts"].get(c, 0) + 1
        if st == 0 or st >= 500:
            fives.append({
                "session": s.kind, "status": st, "method": f["method"].upper(),
                "path": f["action_full"] if f["method"] == "post" else f["action_full"].split("?")[0],
                "enctype": f["enctype"] if f["method"] == "post" else "query",
                "payload": payload_name, "field": target or "(all)",
                "body": describe(pairs, payload_name)[:600],
                "request_id": h.get("x-request-id"), "error": h.get("error"),
            })
            log(f"!! {st} {s.kind} {f['method'].upper()} {f['action_full']} {payload_name} {target or '(all)'}")
        if st == 403 or "wsp_session" in (h.get("set-cookie") or ""):
            refresh(s)

    def refresh(s):
        ensure_session(s)
        page_path = {"anonymous": "/konto/logowanie", "admin": "/panel", "ngo": "/panel"}.get(s.kind, getattr(s, "pending", "/"))
        _, _, page = s.get(page_path)
        s.token = csrf_of(page) or getattr(s, "token", None)

    # Round 1: what the crawl finds. Round 2: crawl again (records the fuzzing created, with their
    # hostile content, and their edit forms) plus every link the server has mailed so far.
    for rnd in (1, 2):
        extra = []
        if rnd == 2:
            time.sleep(3)  # let the job worker write the last mails
            extra = mail_links()
            log(f"round 2: {len(extra)} links from mails")
        for s in sessions:
            n = crawl(s, forms, extra)
            pages[s.kind] = pages.get(s.kind, 0) + n
            s.token = None
            refresh(s)
        new = []
        for key, f in sorted(forms.items(), key=lambda x: x[0]):
            if key in done:
                continue
            done.add(key)
            kind, method, route, names = key
            if route in SKIP:
                skipped.append({"session": kind, "method": method, "route": route, "why": SKIP[route]})
                continue
            s = next(x for x in sessions if x.kind == kind)
            rec = {"session": kind, "method": method, "route": route, "action": f["action_full"],
                   "enctype": f["enctype"], "fields": fuzzable(f), "counts": {},
                   "per_field": 0, "round": rnd}
            recs.append((rec, s, f))
            new.append((rec, s, f))
        log(f"round {rnd}: {len(new)} new forms; {time.time() - t0:.0f} s")
        # Pass 1: every field of every form hostile at once, every payload.
        for rec, s, f in new:
            for name, _ in PAYLOADS:
                fire(s, f, name, None)
        log(f"round {rnd} pass 1 done: {sent} requests, {time.time() - t0:.0f} s")
        # Pass 2: one field hostile at a time, the others as the page had them — round robin over
        # forms (field i of every form, then field i+1) until the budget is spent.
        for i in range(MAX_FIELDS):
            for rec, s, f in new:
                fz = fuzzable(f)
                if i >= len(fz) or len(fz) == 1:
                    continue
                if time.time() > deadline:
                    stopped = True
                    break
                for name, _ in PAYLOADS:
                    fire(s, f, name, fz[i])
                rec["per_field"] += 1
            if stopped:
                break
        log(f"round {rnd} pass 2 done: {sent} requests, {time.time() - t0:.0f} s")
    elapsed = time.time() - t0
    alive = Session("probe").get("/healthz")[0] == 200

    # Log lines of each 5xx (by request id).
    lines = []
    if LOG and os.path.exists(LOG):
        lines = open(LOG, encoding="utf-8", errors="replace").read().splitlines()
    for x in fives + RESULTS["crawl_5xx"]:
        rid = x.get("request_id")
        x["log"] = [l for l in lines if rid and rid in l][:5] if rid else []

    # Warnings and errors the server logged during the run (RUST_LOG=warn), by message.
    levels = {"ERROR": 0, "WARN": 0}
    kinds = {}
    for l in lines:
        m = re.search(r"\b(ERROR|WARN)\b", re.sub(r"\x1b\[[0-9;]*m", "", l))
        if not m:
            continue
        levels[m.group(1)] += 1
        msg = re.sub(r"\x1b\[[0-9;]*m", "", l)[m.end():].strip()
        msg = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", msg)
        msg = re.sub(r"\d+", "N", msg)[:160]
        kinds[(m.group(1), msg)] = kinds.get((m.group(1), msg), 0) + 1
    top = sorted(kinds.items(), key=lambda x: -x[1])[:10]
    reached = {r["route"] for r, _, _ in recs if r["method"] == "post"} | {x["route"] for x in skipped}
    unreached = [p for m, p in ROUTES if m == "POST" and p not in reached]
    per_session = {}
    for r, _, _ in recs:
        per_session[r["session"]] = per_session.get(r["session"], 0) + 1
    report = {
        "base": BASE, "database": DB_KIND, "elapsed_s": round(elapsed, 1),
        "pages_crawled": pages, "forms_found": len(forms), "forms_fuzzed": len(recs),
        "forms_skipped": skipped, "post_routes_without_a_form_found": unreached, "requests": sent, "counts": counts, "counts_by_payload": by_payload,
        "budget_spent": stopped, "fields_per_form": MAX_FIELDS,
        "payloads": [n for n, _ in PAYLOADS], "server_alive_after": alive,
        "server_log": {"error_lines": levels["ERROR"], "warn_lines": levels["WARN"],
                       "top": [{"level": k[0], "message": k[1], "count": v} for k, v in top]},
        "five_xx": fives, "crawl_5xx": RESULTS["crawl_5xx"],
        "forms": [r for r, _, _ in recs], "forms_per_session": per_session,
    }
    if OUT:
        os.makedirs(os.path.dirname(OUT) or ".", exist_ok=True)
        with open(OUT, "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=1)

    print()
    print(f"Wspólnie form fuzzing — database {DB_KIND}, {elapsed:.0f} s")
    print(f"pages crawled:  " + ", ".join(f"{k} {v}" for k, v in pages.items()))
    print(f"forms found:    {len(forms)} (by session, method, route, field names); fuzzed {len(recs)}, skipped {len(skipped)}")
    print("forms fuzzed:   " + ", ".join(f"{k} {v}" for k, v in per_session.items()))
    print(f"requests sent:  {sent}" + ("  (per-field pass cut by FUZZ_BUDGET)" if stopped else ""))
    print("answers:        " + "  ".join(f"{k} {counts.get(k, 0)}" for k in ("2xx", "3xx", "4xx", "5xx", "conn-error")))
    print(f"server alive:   {alive}")
    print("by payload:     " + "; ".join(
        f"{p} " + "/".join(str(by_payload.get(p, {}).get(k, 0)) for k in ("2xx", "3xx", "4xx", "5xx"))
        for p, _ in PAYLOADS) + "  (2xx/3xx/4xx/5xx)")
    print(f"server log:     {levels['ERROR']} ERROR, {levels['WARN']} WARN lines")
    for (lvl, msg), n in top:
        print(f"   {n:6}× {lvl} {msg}")
    print()
    print(f"{'session':10} {'form':52} {'fields':>6} {'1by1':>4} {'2xx':>5} {'3xx':>5} {'4xx':>5} {'5xx':>4}")
    for r, _, _ in recs:
        c = r["counts"]
        print(f"{r['session']:10} {r['method'].upper()[:4] + ' ' + r['route']:52.52} {len(r['fields']):6} {r['per_field']:4} "
              f"{c.get('2xx', 0):5} {c.get('3xx', 0):5} {c.get('4xx', 0):5} {c.get('5xx', 0) + c.get('conn-error', 0):4}")
    if unreached:
        print("POST routes whose form the crawl did not reach: " + ", ".join(unreached))
    for x in skipped:
        print(f"skipped: {x['session']} {x['method'].upper()} {x['route']} — {x['why']}")
    if fives or RESULTS["crawl_5xx"]:
        print()
        print("5xx / broken connections:")
        for x in RESULTS["crawl_5xx"]:
            print(f"  crawl {x['status']} {x['session']} GET {x['path']}  id={x['request_id']}")
            for l in x["log"]:
                print("     log:", l[:400])
        for x in fives:
            print(f"  {x['status']} {x['session']} {x['method']} {x['path']} [{x['enctype']}] "
                  f"payload={x['payload']} field={x['field']} id={x['request_id']}")
            print(f"     body: {x['body'][:300]}")
            for l in x["log"]:
                print("     log:", l[:400])
    if OUT:
        print(f"\njson: {OUT}")
    return 0 if not fives and not RESULTS["crawl_5xx"] and alive else 1


if __name__ == "__main__":
    sys.exit(main())

"""Static files: content-hashed copies, precompressed (brotli + gzip), served by WhiteNoise with
`Cache-Control: public, max-age=31536000, immutable`; and the build identity, a digest of what
a drawn page is made of besides its data (pages stored across requests are kept under it)."""

import base64
import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

from markupsafe import Markup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

PACKAGE = Path(__file__).resolve().parent.parent
SOURCE = PACKAGE / "static"
ONE_YEAR = 365 * 24 * 60 * 60
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".webmanifest"}


# Stylesheets written into every page's <style> instead of linked: on a first visit a linked
# stylesheet costs a whole round trip before anything paints (2 s on Slow 3G); app.css is 2.9 KB
# gzipped. The CSP allows exactly these texts by their hashes (vss.web.security).
INLINE_STYLES = ("css/app.css", "css/kiosk.css")


def _inline_texts():
    return {name: (SOURCE / name).read_text(encoding="utf-8") for name in INLINE_STYLES}


def style_hashes():
    """The CSP sources allowing the inlined stylesheets: 'sha256-…' of each text."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in _inline_texts().values()
    ]


class StaticFiles(WhiteNoise):
    """WhiteNoise with a one-year lifetime for hashed (immutable) files."""

    FOREVER = ONE_YEAR


def _hashed_name(relative, content):
    digest = hashlib.sha256(content).hexdigest()[:12]
    path = Path(relative)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _sources(source):
    for path in sorted(source.rglob("*")):
        if path.is_file() and "dist" not in path.relative_to(source).parts:
            yield path


def build(source=SOURCE, dist=None):
    """Copy each static file to dist/ under a content-hashed name, precompress it, and write
    manifest.json; safe when several workers start at once. Returns the manifest."""
    dist = Path(dist or source / "dist")
    dist.mkdir(parents=True, exist_ok=True)
    compressor = Compressor(quiet=True)
    with open(dist / ".build-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = {}
        for path in _sources(source):
            relative = str(path.relative_to(source))
            content = path.read_bytes()
            hashed = _hashed_name(relative, content)
            manifest[relative] = hashed
            target = dist / hashed
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".tmp")
            shutil.copyfile(path, temporary)
            os.replace(temporary, target)
            if target.suffix in COMPRESSIBLE:
                for _ in compressor.compress(str(target)):
                    pass
        manifest_path = dist / "manifest.json"
        temporary = manifest_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(temporary, manifest_path)
    return manifest


_file_digests = {}  # (path, size, mtime): a process making many apps (tests) reads each file once


def _file_digests_under(folder, suffix):
    """(relative name, sha256) of the files under `folder` ending in `suffix`, in a stable order;
    compiled Python and the static files (named by the manifest) are left out."""
    found, base = [], os.fspath(folder)
    for root, folders, files in os.walk(base):
        folders[:] = sorted(name for name in folders if name not in ("__pycache__", "static"))
        for name in sorted(files):
            if name.endswith(suffix):
                path = os.path.join(root, name)
                stat = os.stat(path)
                key = (path, stat.st_size, stat.st_mtime_ns)
                if key not in _file_digests:
                    with open(path, "rb") as file:
                        _file_digests[key] = hashlib.sha256(file.read()).hexdigest()
                found.append((path[len(base) :], _file_digests[key]))
    return found


def build_identity(manifest, *, templates, catalogs, code, extra=()):
    """16 hex digits naming this build: the static files' hashed names (a page links them), the
    templates, the compiled catalogs, the Python that fills the templates (views, filters,
    formats) and `extra` (configuration a page shows). The same files give the same identity in
    every worker of a deploy; a deploy that changes any of them gives a new one."""
    sources = (
        [(folder, "") for folder in templates] + [(folder, ".mo") for folder in catalogs] + [(code, ".py")]
    )
    parts = [manifest, list(extra)] + [
        [suffix, _file_digests_under(folder, suffix)] for folder, suffix in sources
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _static_headers(headers, path, url):
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; frame-ancestors 'none'"
    headers["Referrer-Policy"] = "same-origin"


def init_app(app):
    """Build the hashed statics, serve them with WhiteNoise, give templates `asset(name)`, and
    name the build (`app.extensions["vss_build"]`; after vss.web.i18n, which locates the catalogs)."""
    dist = SOURCE / "dist"
    manifest = build(SOURCE, dist)
    prefix = app.static_url_path.strip("/") + "/"
    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(dist),
        prefix=prefix,
        max_age=None,
        immutable_file_test=lambda path, url: True,
        add_headers_function=_static_headers,
    )
    base = app.static_url_path.rstrip("/")

    def asset(name):
        """URL of a static file under its content-hashed name."""
        return f"{base}/{manifest[name]}"

    app.jinja_env.globals["asset"] = asset
    styles = {name: Markup(text) for name, text in _inline_texts().items()}  # noqa: S704 - our own files
    app.jinja_env.globals["inline_style"] = styles.__getitem__
    app.extensions["vss_assets"] = manifest
    app.extensions["vss_build"] = build_identity(
        manifest,
        templates=[Path(app.root_path) / app.template_folder],
        catalogs=app.extensions["babel"].translation_directories,
        code=PACKAGE,
        extra=[app.config["SUPPORT_HOTLINE"]],
    )

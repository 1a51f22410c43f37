"""Static files: content-hashed copies, precompressed (brotli + gzip), served by WhiteNoise with
`Cache-Control: public, max-age=31536000, immutable`."""

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

SOURCE = Path(__file__).resolve().parent / "static"
ONE_YEAR = 365 * 24 * 60 * 60
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".webmanifest"}


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


def _static_headers(headers, path, url):
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; frame-ancestors 'none'"
    headers["Referrer-Policy"] = "same-origin"


def init_app(app):
    """Build the hashed statics, serve them with WhiteNoise, give templates `asset(name)`."""
    dist = SOURCE / "dist"
    manifest = build(SOURCE, dist)
    prefix = app.static_url_path.strip("/") + "/"
    app.wsgi_app = StaticFiles(app.wsgi_app, root=str(dist), prefix=prefix, max_age=None,
                               immutable_file_test=lambda path, url: True,
                               add_headers_function=_static_headers)
    base = app.static_url_path.rstrip("/")

    def asset(name):
        """URL of a static file under its content-hashed name."""
        return f"{base}/{manifest[name]}"

    app.jinja_env.globals["asset"] = asset
    app.extensions["vss_assets"] = manifest

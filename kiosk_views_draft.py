# --- the counter (lead) ------------------------------------------------------------------------

SCAN_FORM_LIMIT = 4096  # a QR's text is at most a few hundred characters


def _scan_page(answer=None, status=200):
    rows = tone = portrait_url = None
    if answer is not None and answer.verdict["status"] != "unreadable" or answer and answer.card:
        pass
    if answer is not None:
        rows = shown.lines(answer, g.kiosk)
        tone = shown.tone(answer.verdict)
        if answer.portrait and answer.checkin is not None:
            portrait_url = url_for("kiosk.portrait", checkin_id=answer.checkin.id)
    response = make_response(
        page(
            "kiosk/scan.html",
            block="answer",
            kiosk=g.kiosk,
            rows=rows,
            tone=tone,
            portrait_url=portrait_url,
            labels=shown.labels(),
            texts=shown.texts(),
            scan_key=str(uuid.uuid4()),
            error=answer is not None and answer.verdict["status"] == "unreadable",
        ),
        status,
    )
    return response


@bp.post("/quet")
@kiosk_required
def scan():
    """Check a scanned QR (USB scanner: the text, then Enter) and record the check-in."""
    key = request.form.get("key", "")
    if not KEY.fullmatch(key):
        key = str(uuid.uuid4())
    answer = counter.scan(g.kiosk, request.form.get("qr", "")[:SCAN_FORM_LIMIT], key)
    return _scan_page(answer, 422 if answer.verdict["status"] == "unreadable" else 200)


@bp.get("/anh/<int:checkin_id>.jpg")
@kiosk_required
def portrait(checkin_id):
    """The approved dossier's portrait of a patient this kiosk has just checked in."""
    checkin = checkins.recent(g.kiosk, checkin_id)
    content = counter.portrait(checkin) if checkin else None
    if content is None:
        abort(404)
    return jpeg(content)


@bp.get("/phien")
@kiosk_required
def session_token():
    """A fresh CSRF token for the offline queue's sender (the page may be hours old)."""
    return {"csrf": generate_csrf()}


@bp.get("/sw.js")
def worker():
    """The kiosk's service worker (the page and its files offline)."""
    files = [asset(name) for name in ("css/app.css", "css/kiosk.css", "js/kiosk.js", "js/kiosk-verify.js")]
    response = make_response(render_template("kiosk/sw.js", assets=files))
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("kiosk.home")
    return response

"""What the signed-in citizen came for: the BHYT card (with its signed QR, offline on the bound
device), participation history, benefits, the medical-visit book and the messages sent."""

import gzip

from flask import Blueprint, abort, current_app, g, request, session
from flask_babel import get_locale

from vss.cards import cards, records, stored_page
from vss.core.clock import to_vn, vn_now
from vss.identity import sessions
from vss.kiosk import checkins
from vss.messages import notify
from vss.registry import registry
from vss.registry.registry import SCHEME_LABELS, SCHEMES
from vss.views import args, card_page
from vss.views.auth import citizen_required
from vss.views.record_pages import stored
from vss.views.render import page
from vss.web import record_pages

bp = Blueprint("me", __name__, url_prefix="/tai-khoan")


@bp.context_processor
def _data_as_of():
    """Every record page says the date the registry's data describes (templates/me/_as_of.html)."""
    return {"data_as_of": registry.data_as_of()}


@bp.get("/the-bhyt")
@stored
@citizen_required
def card():
    """Thẻ BHYT: the card's data, with 'data as of'."""
    person, as_of = g.account.person, vn_now()
    record_pages.valid_until(record_pages.minute_end(as_of))  # the page shows the minute it was drawn
    return page("me/card.html", person=person, card=records.current_card(person), as_of=as_of)


@bp.get("/the-bhyt/xem")
@citizen_required
def card_image():
    """Xem thẻ Bảo hiểm y tế: the card drawn like the real one, with the QR made at issuance.
    Its first plain view by this build is stored compressed, stamped with the build and the
    card's revision; later views are answered by `vss.views.card_page` before they reach Flask.
    On the bound device the answer says how long the phone may keep it offline."""
    card = records.current_card(g.account.person)
    if card is None:
        abort(404)
    issued = cards.issuance(card)
    if issued.version != card.version:  # reissued just now: a new version and revision
        card = records.current_card(g.account.person)
    # The person as read after the card: a change since raised the revision read with the card,
    # so a drawing from older data is never served from the store.
    person = card.person
    landscape = request.args.get("xoay") == "1"
    offline = not g.citizen_session.shared
    storable = card_page.storable(
        g.citizen_session.shared, request.query_string, "HX-Request" in request.headers, "_flashes" in session
    )
    html = page(
        "me/card_image.html",
        person=person,
        card=card,
        qr=issued.qr_svg,
        landscape=landscape,
        offline=offline,
        offline_days=sessions.BOUND_SESSION_DAYS,
        as_of=to_vn(issued.created_at),
    )
    if storable:
        stored_page.store_card_page(
            issued,
            card,
            str(get_locale()),
            current_app.extensions["vss_build"],
            gzip.compress(html.encode(), compresslevel=9),
        )
    if offline:
        return html, {card_page.OFFLINE_HEADER: str(card_page.offline_max_age(g.citizen_session.created_at))}
    return html


@bp.get("/qua-trinh")
@stored
@citizen_required
def history():
    """Quá trình tham gia BH: tabs per scheme, total time, 20 rows a page."""
    scheme = request.args.get("bh", "BHXH")
    if scheme not in SCHEMES:
        abort(404)
    number = args.page_number()
    rows, more, months = records.periods(g.account.person, scheme, number)
    return page(
        "me/history.html",
        block="tab",
        scheme=scheme,
        schemes=SCHEMES,
        labels=SCHEME_LABELS,
        rows=rows,
        more=more,
        number=number,
        total=records.years_months(months),
    )


@bp.get("/qua-trinh/<int:period_id>")
@stored
@citizen_required
def period(period_id):
    """Chi tiết: one period (another person's id is a 404)."""
    row = records.period(g.account.person, period_id)
    if row is None:
        abort(404)
    return page("me/period.html", row=row, labels=SCHEME_LABELS)


@bp.get("/thong-tin-huong")
@stored
@citizen_required
def benefits():
    """Thông tin hưởng: Một lần | ODS | Hàng tháng | Thất nghiệp."""
    kind = request.args.get("loai", "mot_lan")
    if kind not in records.BENEFIT_TABS:
        abort(404)
    return page(
        "me/benefits.html",
        block="tab",
        kind=kind,
        tabs=records.BENEFIT_TABS,
        title=records.BENEFIT_TITLES[kind],
        rows=records.benefits(g.account.person, kind),
    )


@bp.get("/kham-chua-benh")
@stored
@citizen_required
def visits():
    """Sổ khám chữa bệnh: by year; a check-in at a counter is an open visit until the facility's
    record arrives; where the card was used lately."""
    person = g.account.person
    opened, uses = checkins.for_person(person)
    opened_in = {row.id: to_vn(row.scanned_at).year for row in opened}
    years = sorted(set(records.visit_years(person)) | set(opened_in.values()), reverse=True)
    year = args.year() or (years[0] if years else vn_now().year)
    rows, totals = records.visits(person, year)
    opened = [row for row in opened if opened_in[row.id] == year]
    return page(
        "me/visits.html",
        block="tab",
        years=years,
        year=year,
        rows=rows,
        totals=totals,
        opened=opened,
        uses=uses,
    )


@bp.get("/thong-bao")
@stored
@citizen_required
def messages():
    """Thông báo: the SMS and emails VSS sent to this citizen."""
    return page("me/messages.html", rows=list(notify.for_person(g.account.person)))

"""The kiosk's verdict: every sample of tests/samples/card_qr.json (and the signed ones made here
from a seeded card) gets its expected answer from vss.kiosk.verdict — and the very same JSON
from vss/static/js/kiosk-verify.js in Chromium (the offline path), with the same keys,
revocations and day."""

import contextlib
import datetime as dt
import functools
import json
import random
import statistics
from pathlib import Path

import pytest

from tests.browser import StaticServer, needs_chromium
from tests.samples import scans
from vss.cards import cardqr, cards
from vss.cards.qrerror import QrError
from vss.kiosk import verdict as kiosk
from vss.registry.registry import HealthCard
from vss.seed import generator

HERE = Path(__file__).resolve().parent
CORPUS = json.loads((HERE / "samples" / "card_qr.json").read_text(encoding="utf-8"))
PAGE = {"/": HERE / "kiosk_verify.html", "/kiosk-verify.js": HERE.parent / "vss/static/js/kiosk-verify.js"}
SECRET = "test-secret"
NO_KEYS, NO_REVOCATIONS = {"keys": []}, {"version": 0, "revoked": {}}
CARD_KEYS = ("number", "percent", "full_name", "birth", "five_years_on", "address", "issue_place", "facility")


def apply_steps(text, steps):
    """A signed QR as a scan or a forger delivers it (the steps of card_qr.json's `signed`)."""
    for step, *args in steps:
        parts = text[:-2].split("|") if text.endswith("|$") else None
        if step == "field":
            index, value = args
            value = {"name": "Nguyễn Văn Giả".encode().hex(), "nospace": parts[index].lstrip(" ")}.get(
                value, value
            )
            parts[index] = value
            text = "|".join(parts) + "|$"
        elif step in ("version", "kid", "flip", "noncanonical", "sigcut"):
            kid, version, signature = parts[13].split(".")
            if step == "version":
                version = args[0]
            elif step == "kid":
                kid = args[0]
            elif step == "flip":
                signature = signature[:40] + ("B" if signature[40] != "B" else "C") + signature[41:]
            elif step == "noncanonical":
                signature = signature[:-1] + chr(ord(signature[-1]) + 1)  # same bytes, other spelling
            else:
                signature = signature[:-2]
            parts[13] = f"{kid}.{version}.{signature}"
            text = "|".join(parts) + "|$"
        elif step == "capslock":
            text = scans.typed(text, "us", capslock=True)
        elif step == "layout":
            text = scans.typed(text, args[0])
        elif step == "wrap":
            text = args[0] + text + args[1]
        elif step == "utf16":
            text = scans.utf16_as_bytes(text)
        elif step == "cut":
            text = text[: args[0]]
        elif step in ("upper", "lower"):
            text = getattr(text, step)()
        elif step == "twice":
            text = text + text
        elif step == "ime":
            text = scans.input_method(text, args[0])
    return text


@pytest.fixture
def world(app):
    """A seeded card signed twice (the first QR revoked by the reissue), the published keys and
    revocations, and every case: the corpus's samples and the signed ones."""
    generator.seed(people=5, seed=3, progress=False)
    card = HealthCard.select().where(HealthCard.valid_to.is_null(False)).order_by(HealthCard.id).first()
    bases = {"previous": cards.issuance(card, SECRET).qr_text, "current": cards.reissue(card, SECRET).qr_text}
    days = {
        "during": card.valid_from.isoformat(),
        "after": (card.valid_to + dt.timedelta(days=1)).isoformat(),
        "before": (card.valid_from - dt.timedelta(days=1)).isoformat(),
    }
    cases = [
        {"name": s["name"], "text": s["text"], "today": CORPUS["today"], "expect": s["expect"]}
        for s in CORPUS["samples"]
    ]
    for signed in CORPUS["signed"]:
        text = apply_steps(bases[signed.get("base", "current")], signed["steps"])
        cases.append({**signed, "text": text, "today": days[signed.get("when", "during")]})
    return {
        "cases": cases,
        "keys": cards.published_keys(),
        "revocations": cards.revocation_list(),
        "card": card,
    }


def check_expected(case, answer):
    expect = case["expect"]
    got = {"status": answer["status"]}
    if "signature" in expect:
        got["signature"] = answer["signature"]
    if "reason" in expect:
        got["reason"] = answer["problem"]["reason"]
    if "part" in expect:
        got["part"] = answer["problem"]["part"]
    if "repairs" in expect:
        got["repairs"] = answer["repairs"]
    shown = answer["card"] or answer["cccd"] or {}
    got.update({key: shown.get(key) for key in expect if key in CARD_KEYS or key == "cccd"})
    return got == expect or f"{case['name']}: expected {expect}, got {got}"


def python_answers(world, cases):
    """(verdict, clean) of every case, as the JavaScript is asked to give them."""
    out = []
    for case in cases:
        answer = kiosk.verdict(case["text"], world["keys"], world["revocations"], case["today"])
        try:
            text, repairs = cardqr.clean(case["text"])
            cleaned = {"text": text, "repairs": repairs, "problem": None}
        except QrError as error:
            problem = {"code": "unreadable", "reason": error.reason, "part": error.part}
            cleaned = {"text": None, "repairs": [], "problem": problem}
        out.append({"verdict": answer, "clean": cleaned})
    return out


def test_every_sample_gets_its_verdict(world):
    wrong = [
        result
        for case in world["cases"]
        if (
            result := check_expected(
                case, kiosk.verdict(case["text"], world["keys"], world["revocations"], case["today"])
            )
        )
        is not True
    ]
    assert not wrong, "\n".join(wrong)
    assert len(CORPUS["samples"]) >= 70 and len(CORPUS["signed"]) >= 25


def test_every_status_and_the_json_shape(world):
    answers = [
        kiosk.verdict(c["text"], world["keys"], world["revocations"], c["today"]) for c in world["cases"]
    ]
    assert {a["status"] for a in answers} == set(kiosk.STATUSES)
    for answer in answers:
        assert json.loads(json.dumps(answer)) == answer
        assert set(answer) == {
            "status",
            "signature",
            "valid_today",
            "problem",
            "kind",
            "card",
            "cccd",
            "repairs",
        }
        assert answer["status"] in kiosk.STATUSES
        assert (answer["card"] is None) == (answer["kind"] != "bhyt")


def test_a_valid_card_in_full(world):
    signed = next(c for c in world["cases"] if c["name"] == "signed")
    answer = kiosk.verdict(
        signed["text"], world["keys"], world["revocations"], dt.date.fromisoformat(signed["today"])
    )
    card, person = world["card"], world["card"].person
    assert answer["status"] == "valid" and answer["signature"] == "vss" and answer["valid_today"] is True
    assert answer["problem"] is None and answer["repairs"] == []
    shown = answer["card"]
    assert (shown["number"], shown["bhxh_code"], shown["full_name"]) == (
        card.number,
        person.bhxh_code,
        person.full_name,
    )
    assert shown["birth"] == person.birth_date.strftime("%d/%m/%Y") and shown["sex"] == person.sex
    assert shown["facility"] == card.facility.code and shown["facility_printed"] == card.facility.printed_code
    assert shown["group"] == card.group_code and shown["benefit_level"] == card.benefit_level
    assert shown["percent"] == {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}[card.benefit_level]
    assert shown["valid_to"] == card.valid_to.isoformat() and shown["version"] == 2
    assert shown["kid"] == world["keys"]["keys"][-1]["kid"]


def test_precedence_and_unsigned_dates():
    unsigned = next(s for s in CORPUS["samples"] if s["name"] == "old card, 14 fields, upper-case hex")[
        "text"
    ]
    # Valid 01/01/2026–31/12/2026; unsigned whatever the day, but the dates decide first.
    for day, status, valid in (
        ("2025-12-31", "not_yet_valid", False),
        ("2026-05-01", "unsigned", True),
        ("2027-01-01", "expired", False),
    ):
        answer = kiosk.verdict(unsigned, NO_KEYS, NO_REVOCATIONS, day)
        assert (answer["status"], answer["valid_today"], answer["signature"]) == (status, valid, "none")
        assert answer["problem"] == {"code": "unsigned", "reason": None, "part": None}
    cccd = kiosk.verdict(
        "079203001234||Trần Minh Quân|02092003|Nam|Ấp 3|25042022", NO_KEYS, NO_REVOCATIONS, "2026-05-01"
    )
    assert cccd["cccd"]["birth_date"] == "2003-09-02" and cccd["valid_today"] is None and cccd["card"] is None


def mangled(cases, count, seed):
    """`count` cases made from the samples by inserting, deleting and cutting characters."""
    rng = random.Random(seed)
    alphabet = "|$-/ .0123456789abcdefABCDEFxyzéàµ'ß\x00\r\n\t\ufeff\u200b€ỹ😀"
    out = []
    for n in range(count):
        text = rng.choice(cases)["text"]
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            kind = rng.random()
            if kind < 0.4:
                text = text[:at] + rng.choice(alphabet) + text[at:]
            elif kind < 0.8:
                text = text[:at] + text[at + rng.randint(1, 8) :]
            else:
                text = text[:at]
        out.append({"name": f"mangled {seed}/{n}", "text": text, "today": CORPUS["today"]})
    return out


def test_nothing_but_documented_errors_escape(world):
    """Mangled samples: cardqr.read raises only QrError, and the verdict never raises."""
    for n, case in enumerate(mangled(world["cases"], 3000, 12)):
        text = case["text"]
        with contextlib.suppress(QrError):
            cardqr.read(text)
        answer = kiosk.verdict(text, world["keys"], world["revocations"], "2026-06-15")
        assert answer["status"] in kiosk.STATUSES, (n, text)


def test_every_outcome_has_words(app):
    with app.test_request_context():
        words = kiosk.texts()
        for case in CORPUS["samples"]:
            answer = kiosk.verdict(case["text"], NO_KEYS, NO_REVOCATIONS, CORPUS["today"])
            assert words["status"][answer["status"]] == str(kiosk.message(answer["status"]))
            key = kiosk.problem_key(answer["problem"])
            if key:
                assert words["problem"][key] == str(kiosk.problem_message(answer["problem"]))
        assert kiosk.message("unsigned") == "Không có chữ ký số — đối chiếu thẻ giấy / giấy tờ tùy thân."
        assert (
            "bàn phím" in words["problem"]["keyboard_layout"]
            and "ngày sinh" in words["problem"]["bad_field:birth"]
        )
        assert set(words["repair"]) == {"layout_fr", "layout_de", "layout_gb", "capslock"}


@pytest.mark.browser
@needs_chromium
def test_the_browser_gives_the_same_verdicts(world, browser):
    cases = world["cases"] + mangled(world["cases"], 800, 5)  # the samples, then damaged copies
    expected = python_answers(world, cases)
    payload = [{"text": c["text"], "today": c["today"]} for c in cases]
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    with StaticServer(PAGE) as server:
        page.goto(server.url + "/")
        got = page.evaluate(
            """async ([cases, keys, revocations]) => {
                const out = [];
                for (const c of cases) {
                    const verdict = await VssVerdict.verdict(c.text, keys, revocations, c.today);
                    out.push({verdict, clean: VssVerdict.clean(c.text)});
                }
                return out;
            }""",
            [payload, world["keys"], world["revocations"]],
        )
        timing = page.evaluate(
            """async ([text, keys, revocations, today]) => {
                const times = [];
                for (let i = 0; i < 60; i++) {
                    const start = performance.now();
                    await VssVerdict.verdict(text, keys, revocations, today);
                    times.push(performance.now() - start);
                }
                return times;
            }""",
            [
                world["cases"][len(CORPUS["samples"])]["text"],
                world["keys"],
                world["revocations"],
                "2026-06-15",
            ],
        )
    context.close()
    assert errors == []  # a CSP violation (eval, inline script) would show here
    shown = functools.partial(json.dumps, ensure_ascii=False)
    different = [
        f"{case['name']}:\n  python {shown(want)}\n  browser {shown(have)}"
        for case, want, have in zip(cases, expected, got, strict=True)
        if want != have
    ]
    assert not different, "\n".join(different)
    median, worst = statistics.median(timing), max(timing)
    print(f"in-browser verdict of a signed card: median {median:.2f} ms, max {worst:.2f} ms")

"""The domain's words live in the domain: templates ask the objects (`dossier.awaiting_receipt`,
`staff.is_admin`, `person.sex_label`) and never compare raw codes; each vocabulary has one
translated label table, and every code in it has a name in both languages."""

import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from vss.dossiers import dossiers as reg
from vss.identity.accounts import StaffUser
from vss.registry import registry
from vss.requests import changes

TEMPLATES = Path(__file__).resolve().parent.parent / "vss" / "templates"
# The vocabularies' codes (statuses, evaluations, submission methods, channels, roles, sexes).
CODES = (
    set(reg.STATUS_LABELS)
    | set(reg.EVALUATION_LABELS)
    | set(reg.SUBMISSION_LABELS)
    | set(reg.CHANNEL_LABELS)
    | set(changes.STATUS_LABELS)
    | set(StaffUser.ROLES)
)
# `x.status == "…"`, `x.role != '…'`, `x.sex == 1`, `"…" == x.evaluation`, `x.status in (…)`
# (a message's `channel`, sms or email, is not a domain vocabulary; a dossier's is caught by its codes).
ATTRIBUTE = r"\.(?:status|role|sex|evaluation|submission_method)\b"
COMPARED = re.compile(
    rf"{ATTRIBUTE}\s*(?:==|!=|\bin\b|\bnot in\b)|(?:==|!=)\s*[\w.]+{ATTRIBUTE}(?!\s*\()",
)
CODE_LITERAL = re.compile(r"""(?:==|!=)\s*["']([a-z_]+)["']|["']([a-z_]+)["']\s*(?:==|!=)""")

# A form's submitted choice, not a stored code: left until the forms (vss.web.forms) say it
# themselves (`DecisionForm.valid`, `ChangeDecisionForm.rejecting`).
FORM_CHOICES = ()


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt", ".js"))


def test_no_template_compares_a_status_role_or_sex_code():
    """A template reads `dossier.awaiting_receipt`, not `dossier.status == "cho_tiep_nhan"`."""
    found = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            hits = COMPARED.findall(line) + [
                a or b for a, b in CODE_LITERAL.findall(line) if (a or b) in CODES
            ]
            if hits and f"{path.relative_to(TEMPLATES)}: {line.strip()}" not in FORM_CHOICES:
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}")
    assert not found, "raw codes compared in templates (use the model's properties):\n" + "\n".join(found)


def test_the_check_catches_a_raw_comparison():
    """The pattern above is not vacuous."""
    for line in (
        '{% if dossier.status == "cho_tiep_nhan" %}',
        "{% if g.staff.role == 'admin' %}",
        '{{ _("Nam") if person.sex == 1 else _("Nữ") }}',
        '{% if "hop_le" == form.evaluation.data %}',
    ):
        assert COMPARED.search(line) or any(a or b in CODES for a, b in CODE_LITERAL.findall(line)), line


@pytest.mark.parametrize(
    "table",
    [
        reg.STATUS_LABELS,
        reg.EVALUATION_LABELS,
        reg.SUBMISSION_LABELS,
        reg.CHANNEL_LABELS,
        changes.STATUS_LABELS,
        StaffUser.ROLE_LABELS,
        registry.SEX_LABELS,
    ],
)
def test_every_label_has_an_english_name(app, table):
    """One table per vocabulary, translated: the English differs from the Vietnamese source."""
    with app.test_request_context():
        for code, label in table.items():
            with force_locale("vi"):
                vietnamese = str(label)
            with force_locale("en"):
                english = str(label)
            assert english and english != vietnamese or english.isascii(), (code, vietnamese)


def test_the_properties_speak_for_the_codes(app):
    """What templates ask instead of comparing codes."""
    with app.test_request_context():
        dossier = reg.Dossier(
            status=reg.WAITING, evaluation=None, submission_method=reg.BY_POST, channel=reg.IVAN
        )
        dossier.ivan_name = "VNPT"
        assert dossier.awaiting_receipt and dossier.pending and not dossier.received
        assert dossier.by_post and dossier.via_ivan and not dossier.via_portal
        assert dossier.evaluation_label == "" and not dossier.valid
        with force_locale("en"):
            assert str(dossier.status_label) == "Waiting to be received"
            assert dossier.channel_label == "An I-VAN provider: VNPT"
            assert str(dossier.submission_label) == "By post"
        dossier.status, dossier.evaluation = reg.APPROVED, reg.VALID
        assert dossier.valid and not dossier.pending
        with force_locale("vi"):
            assert str(dossier.evaluation_label) == "Hồ sơ hợp lệ"

        staff = StaffUser(role=StaffUser.ADMIN)
        assert staff.is_admin and not staff.is_reviewer
        assert not StaffUser(role=StaffUser.SUPERVISOR).is_admin

        woman, man = registry.Person(sex=registry.FEMALE), registry.Person(sex=registry.MALE)
        assert woman.is_female and not man.is_female
        with force_locale("en"):
            assert (str(woman.sex_label), str(man.sex_label)) == ("Female", "Male")

        change = changes.ChangeRequest(status=changes.PENDING, field=changes.ADDRESS)
        assert change.pending and change.about_address
        change.status = changes.REJECTED
        assert not change.pending
        with force_locale("vi"):
            assert str(change.status_label) == "Không được chấp nhận"

"""Flask-WTF forms on a whitespace-stripping base (fields.py), one module per area; every form is
importable from here (`from vss.web.forms import InfoForm`)."""

from vss.web.forms.account import ChangeRequestForm
from vss.web.forms.assistant import AskForm, VoteForm
from vss.web.forms.desk import DeskInfoForm, IdentityForm
from vss.web.forms.fields import (
    AREA_MAX,
    LINE_MAX,
    Clean,
    KnownProvince,
    Normalised,
    StrippedForm,
    choices,
    code_number,
    required,
)
from vss.web.forms.kiosks import CheckInForm, KioskCodeForm, KioskEnrolForm, KioskRenameForm
from vss.web.forms.lookups import CodeLookupForm, EmployerSearchForm
from vss.web.forms.news import NewsPostForm
from vss.web.forms.register import CodeForm, InfoForm, LookupForm, OfficeForm, StartForm
from vss.web.forms.signin import ForgotForm, NewPasswordForm, ResetForm, SignInForm
from vss.web.forms.staff import (
    ChangeDecisionForm,
    DecisionForm,
    DossierFilterForm,
    StaffCreateForm,
    StaffSignInForm,
)

__all__ = [
    "AREA_MAX",
    "LINE_MAX",
    "AskForm",
    "ChangeDecisionForm",
    "CheckInForm",
    "ChangeRequestForm",
    "Clean",
    "CodeForm",
    "CodeLookupForm",
    "DecisionForm",
    "DeskInfoForm",
    "DossierFilterForm",
    "EmployerSearchForm",
    "ForgotForm",
    "IdentityForm",
    "InfoForm",
    "KioskCodeForm",
    "KioskEnrolForm",
    "KioskRenameForm",
    "KnownProvince",
    "LookupForm",
    "NewsPostForm",
    "NewPasswordForm",
    "Normalised",
    "OfficeForm",
    "ResetForm",
    "VoteForm",
    "SignInForm",
    "StaffCreateForm",
    "StaffSignInForm",
    "StartForm",
    "StrippedForm",
    "choices",
    "code_number",
    "required",
]

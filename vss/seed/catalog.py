"""Reference tables of the synthetic registry: beneficiary groups, wages, benefit regimes.

(Employers: workplaces.py; hospitals and ICD-10: medical.py.)
Everything here is data; the generator only draws from it. Weights are relative.
"""

import unicodedata


def _nfc(value):
    return unicodedata.normalize("NFC", value)


# --- BHYT beneficiary groups (DOMAIN.md: group → usual benefit level) ---------------------

GROUP_LEVEL = {}
for _level, _groups in {
    1: "CC TE",
    2: "CK CB KC HN DT DK XD BT TS",
    3: "HT TC CN",
    4: "DN HX CH NN TK HC XK TB NO CT XB TN CS XN MS HD TQ TA TY HG LS PV HS SV GB GD",
    5: "QN CA CY",
}.items():
    GROUP_LEVEL.update(dict.fromkeys(_groups.split(), _level))

# Share of the cost the fund pays, by benefit level (the 5 levels of the card).
FUND_PERCENT = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}

# Groups by life situation. "" = no card. Shares follow the shape of national coverage
# (≈ 94 % insured): children under 6 are all covered (TE); pupils and students through
# school (HS/SV); the unemployed-but-not-poor buy household cards (GD); poor and near-poor
# households (HN/CN) and people on social assistance (BT) are paid for by the state.
PUPIL_GROUPS = [("HS", 86), ("GD", 5), ("HN", 3), ("CN", 2), ("BT", 0.5), ("", 3.5)]
STUDENT_GROUPS = [("SV", 62), ("GD", 20), ("HN", 2), ("CN", 2), ("", 14)]
INFORMAL_GROUPS = [
    ("GD", 66),
    ("HN", 4),
    ("CN", 4),
    ("CK", 0.5),
    ("TS", 0.5),
    ("XK", 0.3),
    ("NO", 0.3),
    ("", 9),
]
ELDER_GROUPS = [
    ("GD", 62),
    ("HN", 4),
    ("CN", 4),
    ("CK", 3),
    ("CB", 2),
    ("KC", 3),
    ("TS", 1),
    ("CC", 1),
    ("BT", 4),
    ("", 5),
]
OLDEST_GROUPS = [("BT", 45), ("CT", 10), ("GD", 27), ("KC", 5), ("CK", 3), ("CC", 3), ("", 2)]
# Ethnic-minority people in the northern mountain provinces mostly hold DT cards.
MOUNTAIN_DT_SHARE = 0.4

# --- age pyramid (Vietnam ≈ 2024, 5-year bands; the last band stops at 1940) -------------

AGE_BANDS = [
    ((0, 5), 7.3),
    ((5, 10), 7.9),
    ((10, 15), 7.8),
    ((15, 20), 7.0),
    ((20, 25), 6.9),
    ((25, 30), 7.4),
    ((30, 35), 8.2),
    ((35, 40), 8.0),
    ((40, 45), 7.6),
    ((45, 50), 6.8),
    ((50, 55), 6.2),
    ((55, 60), 5.6),
    ((60, 65), 4.9),
    ((65, 70), 3.8),
    ((70, 75), 2.6),
    ((75, 80), 1.5),
    ((80, 85), 0.9),
    ((85, 87), 0.5),
]

# --- wages --------------------------------------------------------------------------------

# Lương tối thiểu chung / lương cơ sở (đồng per month) from the month it took effect.
BASE_SALARY = [
    ((1995, 1), 120_000),
    ((1997, 1), 144_000),
    ((2000, 1), 180_000),
    ((2001, 1), 210_000),
    ((2003, 1), 290_000),
    ((2005, 10), 350_000),
    ((2006, 10), 450_000),
    ((2008, 1), 540_000),
    ((2009, 5), 650_000),
    ((2010, 5), 730_000),
    ((2011, 5), 830_000),
    ((2012, 5), 1_050_000),
    ((2013, 7), 1_150_000),
    ((2016, 5), 1_210_000),
    ((2017, 7), 1_300_000),
    ((2018, 7), 1_390_000),
    ((2019, 7), 1_490_000),
    ((2023, 7), 1_800_000),
    ((2024, 7), 2_340_000),
]
# Pay coefficients (hệ số lương) of the civil-service scales A1 → A3.1, as hundredths.
COEFFICIENTS = [234, 267, 300, 333, 366, 399, 432, 465, 498, 508, 542, 576, 610, 620]
# Records in the national database start with the 1995 social-insurance system.
RECORDS_START = (1995, 1)
BHTN_START = (2009, 1)  # unemployment insurance
BHTNLD_START = (2016, 6)  # occupational accident & disease fund, recorded separately

# --- benefits -----------------------------------------------------------------------------

REGIME_SICK = _nfc("Ốm đau")
REGIME_BIRTH = _nfc("Sinh con")
REGIME_RECOVERY = _nfc("Dưỡng sức phục hồi sức khỏe")
REGIME_PENSION = _nfc("Hưu trí")
REGIME_UNEMPLOYMENT = _nfc("Trợ cấp thất nghiệp")
REGIME_ONE_OFF = _nfc("BHXH một lần")

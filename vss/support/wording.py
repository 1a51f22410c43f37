"""How the assistant reads words, the same for the FAQ it indexes and the questions it is asked:
folded (no diacritics, đ → d, lower case), split into syllables, people's spellings and short
forms put into the FAQ's words, and Telex left in by a keyboard undone. Pure text: no database.

Vietnamese words are mostly two syllables ("mật khẩu"), and folding makes syllables collide
("mất", "mật", "mặt" are all "mat"), so the index also holds each pair of neighbouring
syllables as one term ("matkhau"): a question that keeps the pair finds the entry that has it."""

import re
import unicodedata

# Letters that do not decompose in Unicode (NFD keeps đ whole), folded by hand.
_BY_HAND = str.maketrans({chr(0x0111): "d", chr(0x0110): "d", chr(0x00F0): "d", chr(0x0131): "i"})
_WORD = re.compile(r"[a-z0-9]+")
# A letter only Vietnamese writes (tone or vowel marks, đ): none may be left in an English text.
VIETNAMESE_LETTER = re.compile(r"[\u00c0-\u1ef9\u0111\u0110]")
_PHRASE_BREAK = re.compile(r"[.;,!?:()\[\]\"/\n]+")
MAX_TERMS = 24  # a question's terms sent to the database, whatever its length

# Short forms and regional or everyday wording, as whole words of a folded question → the
# words the FAQ uses. Longest first when they overlap ("so dt" before "dt").
SPELLINGS_VI = {
    # "không" as people type it, North and South
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "khg": "khong",
    "hok": "khong",
    "hong": "khong",
    "hem": "khong",
    "hk": "khong",
    "kh": "khong",
    "khum": "khong",
    "hun": "khong",
    "hum": "khong",
    "mk": "mat khau",
    "mkhau": "mat khau",
    "pass": "mat khau",
    "password": "mat khau",
    "pw": "mat khau",
    "passwd": "mat khau",
    "pasword": "mat khau",
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "dth": "dien thoai",
    "dthoai": "dien thoai",
    "phone": "dien thoai",
    "dtdd": "dien thoai",
    "dk": "dang ky",
    "dky": "dang ky",
    "dki": "dang ky",
    "ki": "ky",
    "dn": "dang nhap",
    "dnhap": "dang nhap",
    "login": "dang nhap",
    "log in": "dang nhap",
    "tk": "tai khoan",
    "acc": "tai khoan",
    "account": "tai khoan",
    "otp": "ma otp",
    "xn": "xac nhan",
    "code": "ma",
    "cmt": "cmnd",
    "chung minh thu": "cmnd",
    "can cuoc cong dan": "cccd",
    "can cuoc": "cccd",
    "cc": "cccd",
    "bh": "bao hiem",
    "the bh": "the bhyt",
    "bao hiem y te": "bhyt",
    "bao hiem xa hoi": "bhxh",
    "bv": "benh vien",
    "app": "ung dung",
    "web": "trang",
    "mail": "email",
    "gmail": "email",
    "e mail": "email",
    "thu dien tu": "email",
    # the same trouble in other words (South / North, everyday)
    "mat may": "mat dien thoai",
    "lam lai sim": "mat sim",
    "doi sim": "mat sim",
    "doi so": "thay so",
    "so moi": "thay so",
    "dc": "duoc",
    "khoa roi": "bi khoa",
    "ntn": "nhu the nao",
    "lsao": "lam sao",
    "vs": "voi",
    "j": "gi",
    "ji": "gi",
    "zi": "gi",
    "z": "gi",
    "ba ma": "bo me",
    "ba me": "bo me",
    "cha me": "bo me",
    "tia ma": "bo me",
    "thay u": "bo me",
    "gium": "giup",
    "dum": "giup",
    "bi gi": "loi",
    "truc trac": "loi",
    "error": "loi",
    "tai sao": "",
    "vi sao": "",
    "the nao": "",
    "bao gio": "khi nao",
}
SPELLINGS_EN = {
    "pwd": "password",
    "pass": "password",
    "passwd": "password",
    "login": "sign in",
    "log in": "sign in",
    "signin": "sign in",
    "sign up": "register",
    "signup": "register",
    "acct": "account",
    "otp": "code",
    "sms": "sms",
    "msg": "message",
    "pls": "",
    "plz": "",
    "cant": "cannot",
    "can t": "cannot",
    "dont": "not",
    "didnt": "not",
    "didn t": "not",
    "doesnt": "not",
    "id card": "id",
    "cccd": "citizen id",
}


def _words(text):
    return frozenset(text.split())


# Words that say how a person asks, not what about (folded). Kept short on purpose: a folded
# syllable can be two words ("dang" is đang and đăng), and those stay.
STOP_VI = frozenset(
    _words(
        """toi minh em anh chi ban oi a ah nhe nha ha vay nao lam sao gi la thi cua co duoc khong bi cho
    voi va hay dau o roi da phai nen biet giup hoi xin vui long cam on ai nay do kia nhung cac mot
    nhieu qua con se vi de neu khi tu ra len vao nhu muon chiu hoai mai luon di nua rang chu u oh
    uh nhi lieu chang ne day ta tui coi xem ad admin huhu"""
    )
)
STOP_EN = frozenset(
    _words(
        """i me my we you your the a an is are am was were be been do does did to of in on at for with
    how what why when where which who can could would should will it its this that there here and
    or but not no yes please hi hello help get got have has had if so just from by as any some
    still again into out up about"""
    )
)


def fold(text):
    """`text` without tone marks or vowel marks, đ as d, in lower case ("Quên mật khẩu" →
    "quen mat khau")."""
    text = unicodedata.normalize("NFD", text.translate(_BY_HAND))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).translate(_BY_HAND).lower()


def _respell(folded, spellings):
    """Short forms and everyday words replaced, whole words only, the longest match first."""
    words = _WORD.findall(folded)
    out, i = [], 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            key = " ".join(words[i : i + size])
            if size <= len(words) - i and key in spellings:
                out.append(spellings[key])
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(w for w in out if w)


def phrases(text, lang):
    """The folded, respelled phrases of `text` (split where punctuation breaks it), each a list
    of syllables."""
    spellings = SPELLINGS_VI if lang == "vi" else SPELLINGS_EN
    folded = fold(text)
    return [words for part in _PHRASE_BREAK.split(folded) if (words := _respell(part, spellings).split())]


def pairs(words):
    """Neighbouring syllables joined ("mat", "khau" → "matkhau")."""
    return [a + b for a, b in zip(words, words[1:], strict=False)]


def index_terms(text, lang):
    """What the index stores for `text`: its syllables and their pairs, space-separated."""
    terms = []
    for words in phrases(text, lang):
        terms += words + pairs(words)
    return " ".join(terms)


def terms_of(phrases_, lang):
    """(syllables, pairs) of a question's phrases, in order, without stop words and repeats, at
    most MAX_TERMS in all. A pair is kept unless both its syllables are stop words ("khong nhan"
    stays a pair)."""
    stop = STOP_VI if lang == "vi" else STOP_EN
    words, joined = [], []
    for phrase in phrases_:
        words += [w for w in phrase if w not in stop]
        joined += [a + b for a, b in zip(phrase, phrase[1:], strict=False) if not (a in stop and b in stop)]
    words = list(dict.fromkeys(words))[:MAX_TERMS]
    joined = [p for p in dict.fromkeys(joined) if p not in words][: max(0, MAX_TERMS - len(words))]
    return words, joined


def is_stop(word, lang):
    """A word that says how a person asks, not what about."""
    return word in (STOP_VI if lang == "vi" else STOP_EN)


_TELEX_VOWELS = (("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"), ("uw", "u"), ("dd", "d"))


def telex_forms(word):
    """What `word` may be if a Vietnamese keyboard was off (Telex typed as letters): "khaaur" →
    "khau", "mast" → "mat", "dduwowcj" → "duoc"."""
    forms = set()
    tone_free = [word]
    if len(word) > 2 and word[-1] in "sfrxj":
        tone_free.append(word[:-1])
    for i in range(1, len(word) - 1):  # a tone letter typed before the final consonant ("mast")
        if word[i] in "sfrxj" and word[i - 1] in "aeiouyw":
            tone_free.append(word[:i] + word[i + 1 :])
    for form in tone_free:
        for double, single in _TELEX_VOWELS:
            form = form.replace(double, single)
        forms.add(form.replace("w", "u"))
    forms.discard(word)
    return forms


def distance(a, b, limit=2):
    """Damerau–Levenshtein distance between `a` and `b` (optimal string alignment), or
    limit + 1 when it is over `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_limit(word):
    """How many slips a word of this length may hold and still be recognised."""
    return 0 if len(word) < 3 else 1 if len(word) < 7 else 2


def mask_digits(text):
    """Runs of digits as '#': a question kept for staff carries no BHXH code or phone number."""
    return re.sub(r"\d+", "#", text)

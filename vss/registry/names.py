"""How typed text is compared with the registry's: a person's name as people type it, and a
directory name searched without its marks.

A name is compared with its diacritics (`name_key`): "Nguyễn Văn An" and "Nguyen Van An" are
different names. Folding the marks away would make one typed name match every spelling that
shares its letters ("Lê", "Lệ", "Lễ" and "Le" are four names) and so widen what a guess can
find; the marks are on the person's CCCD, which the look-up and the form ask them to copy. Case,
spaces and the Unicode form are not part of a name: a phone keyboard may send decomposed marks
(NFD), full-width letters (NFKC folds them), or capital letters, and none of that is a different
name. A directory search (an employer's name) is another matter: nothing personal is found by it,
so there the marks and case are folded (`fold`) and "cong ty" finds "Công ty"."""

import unicodedata


def _nfc(text):
    # NFKC first: full-width and compatibility letters become the letters they look like.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text or ""))


def name_key(name):
    """A person's name as compared: NFKC/NFC, case-folded, single spaces; the marks kept."""
    return " ".join(_nfc(name).casefold().split())


_D_BAR = {0x0111: "d", 0x0110: "D"}  # đ, Đ


def fold(text):
    """Text for a search without marks or case: 'Công ty Đại Việt' → 'cong ty dai viet'."""
    # đ and Đ are letters of their own (no combining mark to drop).
    plain = _nfc(text).translate(_D_BAR)
    decomposed = unicodedata.normalize("NFD", plain)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def masked(name):
    """A name shown to someone who proved they know it only in part: each word's first letter,
    then one dot per further letter ('Nguyễn Văn An' → 'N••••• V•• A•')."""
    return " ".join(word[:1] + "•" * (len(word) - 1) for word in _nfc(name).split())

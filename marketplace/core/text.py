"""Vietnamese text helpers: normalisation and diacritic folding."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text):
    """NFC-normalise text and collapse runs of whitespace; None becomes ''."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text):
    """Lower-case text and strip Vietnamese diacritics, đ included ("Đường" -> "duong")."""
    text = normalize(text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def slugify(text, max_length=80):
    """A URL-safe ASCII slug of text."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].strip("-") or "x"


def split_list(value, sep=";"):
    """Split 'a; b;; c' into ['a', 'b', 'c'], accepting lists as they are."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value).split(sep)
    out = []
    for item in items:
        item = normalize(item)
        if item and item not in out:
            out.append(item)
    return out

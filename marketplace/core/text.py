"""Vietnamese text helpers: normalisation and diacritic folding."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_invisible(text):
    """Drop control and format characters (NUL, zero-width spaces, bidi overrides) but keep line breaks and tabs.

    Nothing a person types in Vietnamese needs them, and they hide names ("\u200b") or disguise file names
    ("\u202egpj.pdf" shown as "fdp.jpg")."""
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return text  # the usual case, checked in C: no control, format, surrogate or private-use character
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


def normalize(text):
    """NFC-normalise text, drop invisible characters and collapse runs of whitespace; None becomes ''."""
    if text is None:
        return ""
    return _SPACES.sub(" ", strip_invisible(unicodedata.normalize("NFC", str(text)))).strip()


def normalize_block(value):
    """Like normalize() for multi-line text: keeps line breaks, trims lines, no runs of blank lines."""
    if value is None:
        return ""
    text = strip_invisible(unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


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

"""Highlighted snippets in the original, accented text, whichever backend found the document.

A word is marked when its folded form is one the query looked for, so "may cay" marks "máy cấy" as typed by
the listing's author. The snippet is the window of text holding the most marked words.
"""
from markupsafe import Markup, escape

from marketplace.search.analysis import fold_word, word_spans


def _marked_spans(text, folded_terms):
    """(start, end) of each word of text whose folded form is wanted."""
    return [(start, end) for word, start, end in word_spans(text) if fold_word(word) in folded_terms]


def _render(text, spans, start, end):
    """text[start:end] escaped, with spans wrapped in <mark>."""
    out = []
    pos = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        out.append(escape(text[pos:a]))
        out.append(Markup("<mark>") + escape(text[a:b]) + Markup("</mark>"))
        pos = b
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


def highlight(text, folded_terms, max_chars=None):
    """Escaped HTML of text (or of its best window of about max_chars) with the wanted words marked."""
    import unicodedata

    text = unicodedata.normalize("NFC", text or "")
    spans = _marked_spans(text, folded_terms) if folded_terms else []
    if max_chars is None or len(text) <= max_chars:
        return _render(text, spans, 0, len(text))
    best_start, best_count = 0, -1
    for i, (a, _b) in enumerate(spans):
        window_start = max(a - max_chars // 4, 0)
        count = sum(1 for s, e in spans[i:] if e <= window_start + max_chars)
        if count > best_count:
            best_start, best_count = window_start, count
    start = best_start
    if start > 0:  # begin at a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(start + max_chars, len(text))
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + max_chars // 2 else end
    html = _render(text, spans, start, end)
    prefix = Markup("… ") if start > 0 else Markup("")
    suffix = Markup(" …") if end < len(text) else Markup("")
    return prefix + html + suffix

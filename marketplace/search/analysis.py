"""How text becomes search terms: NFC, lower case, words of letters and digits, diacritics folded (đ→d).

No stop list and no stemming: an English stop list drops "an" of "an toàn", and Vietnamese syllables do not
inflect. Each text is indexed twice, as typed (exact) and folded, and as folded syllable pairs ("máy sấy" →
"may_say"), so that exact spellings and adjacent syllables rank higher.
"""
import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import BiWordFilter, Filter, LowercaseFilter, RegexTokenizer

from marketplace.core.text import fold

WORD = re.compile(r"[^\W_]+")

# Words that carry little meaning in a question ("làm sao giảm mùi hôi ở trại gà?"). They are searched with a
# small weight, never dropped: "có" and "cho" can still matter in a title. A word written with diacritics is a
# filler only as written: "khí", "hơi", "cân" and "nén" are not "khi", "hỏi", "cần" and "nên" (folded, they
# would collide); a word typed without diacritics is one when its letters are those of a filler.
_FILLERS = (
    "làm sao để giảm cách nào thế có không được của và với cho ở tại là thì mà những các một nào gì "
    "bị đang muốn cần tìm giúp tôi mình em chúng ta nhà nên hay hoặc như vậy rồi lúc khi ai đâu bao nhiêu "
    "về trong ra vào lên xuống hãy xin hỏi ạ nhé"
).split()
FILLER_WORDS = frozenset(fold(w) for w in _FILLERS)  # folded: the fillers as typed without diacritics
FILLER_WRITTEN = frozenset(_FILLERS)


def is_filler(word, folded=None):
    """Whether a lower-case NFC word is a filler: as written, or by its letters when typed without diacritics."""
    folded = fold_word(word) if folded is None else folded
    if folded == word:
        return folded in FILLER_WORDS
    return word in FILLER_WRITTEN


# What makes a query a question ("… dùng phần mềm gì", "có công nghệ nào", "làm sao …", "có … không"): whoever
# asks how to solve a problem wants the solutions on offer (offers, IP) before other people's needs.
QUESTION_WORDS = frozenset(("gì", "nào", "sao", "đâu"))
QUESTION_WORDS_PLAIN = frozenset(("nao", "sao"))  # typed without diacritics ("gi" only last: "chong gi" is rust)


def is_question(text, query_words):
    """True when the query reads as a question (a question mark, a question word, "có … không")."""
    if "?" in (text or ""):
        return True
    if not query_words:
        return False
    if QUESTION_WORDS.intersection(query_words):
        return True
    folded = [fold(w) for w in query_words]
    if folded == list(query_words) and (QUESTION_WORDS_PLAIN.intersection(folded) or folded[-1] == "gi"):
        return True
    return len(folded) >= 3 and folded[0] == "co" and folded[-1] in ("khong", "chua")


def words(text):
    """The words of text: NFC, lower case, runs of letters and digits."""
    if not text:
        return []
    return WORD.findall(unicodedata.normalize("NFC", str(text)).lower())


def word_spans(text):
    """(word, start, end) for each word of text, positions in the NFC text."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return [(m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(text)]


@lru_cache(maxsize=200_000)
def fold_word(word):
    """A lower-case word without diacritics, đ included; cached, since a corpus repeats a few thousand syllables."""
    return fold(word)


def pairs(word_list, sep="_"):
    """Adjacent word pairs: ["máy", "sấy", "lúa"] → ["máy_sấy", "sấy_lúa"]."""
    return [a + sep + b for a, b in zip(word_list, word_list[1:])]


class NfcFilter(Filter):
    """Compose characters, so that a decomposed "ấ" and a composed one are the same term."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = unicodedata.normalize("NFC", t.text)
            yield t


class FoldFilter(Filter):
    """Strip diacritics, đ→d."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_word(t.text)
            yield t


def whoosh_analyzers():
    """The Whoosh analyzers: exact, folded and folded pairs."""
    base = RegexTokenizer(WORD) | NfcFilter() | LowercaseFilter()
    return {
        "exact": base,
        "folded": base | FoldFilter(),
        "pairs_folded": base | FoldFilter() | BiWordFilter(sep="_"),
    }

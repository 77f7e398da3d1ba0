"""Query understanding for Vietnamese search: what the person meant before the index is asked.

`read_query()` turns what was typed into a `Reading`: the words to search, extra phrases to search too
(glossary and abbreviation expansions), likely corrections, and notes the results page shows ("đã hiểu: …",
"cũng tìm: …"). It is pure Python: no app, no database; the search services pass it the index's vocabulary.

The steps, in order:
1. normalise (NFC, invisible characters dropped, spaces collapsed) and keep at most `max_words` words;
2. glossary: terms matched on folded word n-grams of the typed text, longest first, so English phrases
   ("drip irrigation") are read before Telex decoding could mangle them. A query word with diacritics must
   carry the term's own diacritics ("héo" does not match a term "heo"); a word typed without them matches any;
3. abbreviations ("ATTP", "KH&CN");
4. Telex typed with the input method off ("coong ngheej" -> "công nghệ"), only where the result is a
   Vietnamese syllable the vocabulary knows;
5. run-together words ("maycaylua" -> "may cay lua");
6. the glossary again, on words steps 4 and 5 changed ("muif hooi" -> "mùi hôi" -> "khử mùi");
7. spelling: a word the vocabulary does not know, one or two edits from one it does, gets a correction.

Words consumed by a glossary match or read as an abbreviation stay in `words` (listings may use the English
term or the abbreviation itself) but are left alone by steps 4, 5 and 7 (except that a term typed with slipped
diacritics, "máy sâý", gets them corrected), as are the words of the glossary's English terms wherever they
appear ("tree" is not Telex for "trê").

Public: read_query(), Reading, Note, tokenize(); Vocabulary (build one per index version and pass it instead of
a plain Mapping: it keeps the spelling index), Glossary, load_glossary(), load_abbreviations(); and the pieces
decode_telex(), split_run_together(), is_syllable(), could_be_syllable().
"""
import csv
import math
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from marketplace.core.text import fold as _fold_text
from marketplace.core.text import normalize

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GLOSSARY_FILE = DATA_DIR / "glossary.csv"
SYMPTOMS_FILE = DATA_DIR / "symptoms.csv"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.csv"

_WORD = re.compile(r"[^\W_]+")
# Characters allowed between the parts of an abbreviation written "KH&CN", "NN&PTNT", "KH-CN".
_ABBREVIATION_JOINERS = ("&", "/", "-")

# Bounds on the work done for one word, whatever is typed.
_MAX_TELEX_LENGTH = 12
_MAX_SPLIT_LENGTH = 40
_MAX_PIECE_LENGTH = 12
_MAX_SPELLING_LENGTH = 24
_LONG_WORD = 8  # words this long may be two edits from the word meant
_SHORT_SPLIT = 5  # run-together words this short are split only when they are not a likely typo
_CACHED_SOURCES = 8


# --- notes and readings ------------------------------------------------------------------------------------

@dataclass
class Note:
    """One thing the reader understood, shown to the person: what they typed and how it was read."""

    kind: str  # "telex" | "split" | "abbreviation" | "glossary" | "spelling"
    source: str
    target: str


@dataclass
class Reading:
    """What a query was understood to mean: its words, phrases to search too, likely corrections, notes."""

    text: str
    words: list = field(default_factory=list)
    expansions: list = field(default_factory=list)
    corrections: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def suggestion(self):
        """The query with the corrections applied ("Did you mean …"), or None when nothing looks mistyped."""
        if not self.corrections:
            return None
        return " ".join(self.corrections.get(word, word) for word in self.words)


# --- folding and tokens ------------------------------------------------------------------------------------

def _build_fold_table():
    """A str.translate table from every precomposed Latin letter to its base letter, đ to d."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x2000):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD_TABLE = _build_fold_table()


@lru_cache(maxsize=65536)
def _fold(word):
    """fold() for one lower-case NFC word, fast and cached; core.text.fold() for anything unusual."""
    folded = word.lower().translate(_FOLD_TABLE)
    return folded if folded.isascii() else _fold_text(word)


def _lower(word):
    """Lower-case and NFC, since lower-casing can decompose a few letters."""
    return unicodedata.normalize("NFC", word.lower())


def tokenize(text):
    """The NFC, lower-case words of text: runs of letters (with their diacritics) and digits; punctuation dropped."""
    return [_lower(match.group()) for match in _WORD.finditer(normalize(text))]


# --- Vietnamese syllables ----------------------------------------------------------------------------------

# Tone keys of Telex and the combining marks they put on a vowel.
_TONE_MARKS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_MARK_TONES = {mark: key for key, mark in _TONE_MARKS.items()}
_VOWELS = set("aăâeêioôơuưy")
_ONSETS = ("ngh", "ng", "gh", "nh", "ch", "tr", "th", "ph", "kh", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
           "n", "p", "q", "r", "s", "t", "v", "x")
_STOP_FINALS = ("c", "ch", "p", "t")

_OPEN_RHYMES = ("a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oay oe oeo oi ô ôi ơ ơi u ua uây uê ui uôi uy "
                "uya uyu uơ ư ưa ưi ưu ươi ươu y yêu").split()
_CLOSED_RHYMES = {  # nucleus -> the finals it takes
    "a": "c ch m n ng nh p t", "ă": "c m n ng p t", "â": "c m n ng p t", "e": "c m n ng p t",
    "ê": "ch m n nh p t", "i": "ch m n nh p t", "o": "c m n ng p t", "oo": "c ng", "ô": "c m n ng p t",
    "ơ": "m n p t", "u": "c m n ng p t", "ư": "c ng t", "iê": "c m n ng p t", "yê": "m n ng t",
    "oa": "c ch m n ng nh p t", "oă": "c m n ng t", "oe": "n t", "uâ": "n ng t", "uê": "ch nh",
    "uy": "ch n nh p t", "uyê": "n t", "uô": "c m n ng t", "ươ": "c m n ng p t",
}
_RHYMES = set(_OPEN_RHYMES) | {nucleus + final for nucleus, finals in _CLOSED_RHYMES.items()
                               for final in finals.split()}
# After "qu", i-rhymes are written with y: quý, quýt, quỳnh, quyết.
_QU_ONLY_RHYMES = {"y" + final for final in "ch n nh p t".split()}
_RHYMES_AFTER_QU = _RHYMES | _QU_ONLY_RHYMES
_FOLDED_RHYMES = {_fold(rhyme) for rhyme in _RHYMES_AFTER_QU}
_FOLDED_ONSETS = tuple(sorted({_fold(onset) for onset in _ONSETS} | {"gi", "qu"}, key=len, reverse=True))
_FRONT = set("ieêy")


def _strip_tone(word):
    """(word without its tone mark, the Telex key of the tone or '') for a lower-case NFC word."""
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _MARK_TONES:
            if tone:
                return word, "?"
            tone = _MARK_TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _split_onset(base):
    """(onset, rhyme) of a toneless syllable, reading "gi" and "qu" as onsets the way the spelling does; or None."""
    cluster = 0
    while cluster < len(base) and base[cluster] not in _VOWELS:
        cluster += 1
    onset, rhyme = base[:cluster], base[cluster:]
    if onset == "q":
        if not rhyme.startswith("u") or len(rhyme) < 2:
            return None
        return "qu", rhyme[1:]
    if onset == "g" and rhyme.startswith("i") and len(rhyme) > 1 and rhyme[1] in _VOWELS:
        return "gi", rhyme[1:]
    if onset and onset not in _ONSETS:
        return None
    return onset, rhyme


def _valid_parts(onset, rhyme, tone):
    """Whether an onset, a rhyme and a tone key make a syllable Vietnamese spelling allows."""
    if not rhyme:
        return False
    if onset == "qu":
        if rhyme not in _RHYMES_AFTER_QU or rhyme[0] in "uưo":
            return False
    elif onset == "gi":
        # giếng, giết: the i of iê is written once.
        if rhyme not in _RHYMES and not (rhyme.startswith("ê") and "i" + rhyme in _RHYMES):
            return False
    elif rhyme not in _RHYMES:
        return False
    first = rhyme[0]
    if onset in ("k", "gh", "ngh") and first not in _FRONT:
        return False
    if onset in ("c", "ng") and first in _FRONT:
        return False
    if onset == "g" and first in "eê":
        return False
    if rhyme.startswith("yê") and onset not in ("", "qu"):
        return False
    if rhyme.startswith("iê") and onset in ("", "qu"):
        return False
    if rhyme.endswith(_STOP_FINALS) and tone not in ("s", "j"):
        return False
    return True


@lru_cache(maxsize=8192)
def is_syllable(word):
    """Whether a lower-case word is a well-formed Vietnamese syllable ("nghiêng", "quýt"; not "ngiêng", "tẻp")."""
    base, tone = _strip_tone(word)
    if tone == "?":
        return False
    parts = _split_onset(base)
    return parts is not None and _valid_parts(parts[0], parts[1], tone)


@lru_cache(maxsize=8192)
def could_be_syllable(word):
    """Whether a word, its diacritics ignored, spells some Vietnamese syllable ("cong" yes, "attp" no)."""
    folded = _fold(word)
    if not folded.isascii() or not folded.isalpha():
        return False
    for onset in _FOLDED_ONSETS + ("",):
        if folded.startswith(onset) and folded[len(onset):] in _FOLDED_RHYMES:
            return True
    return False


def _tone_position(rhyme):
    """Where the tone goes in a rhyme, and where the newer style puts it when the two differ (or None)."""
    vowels = [i for i, ch in enumerate(rhyme) if ch in _VOWELS]
    if not vowels:
        return None, None
    marked = [i for i in vowels if rhyme[i] in "ăâêôơư"]
    if marked:
        return marked[-1], None  # ươ, iê, uô: the second vowel; ưa, ưu: the ư
    if vowels[-1] < len(rhyme) - 1:
        return vowels[-1], None  # a final consonant follows: hoàng, toán, huỳnh
    if len(vowels) == 3:
        return vowels[1], None  # ngoài, khuỷu, xoáy
    if len(vowels) == 2:
        if rhyme in ("oa", "oe", "uy"):
            return vowels[0], vowels[1]  # hòa / hoà, thủy / thuỷ
        return vowels[0], None  # mái, của, mía
    return vowels[0], None


def _place_tone(onset, rhyme, tone):
    """The spellings of a syllable with its tone on the right vowel: usual style first, newer style second."""
    if not tone:
        return [onset + rhyme]
    usual, newer = _tone_position(rhyme)
    if usual is None:
        return []
    spellings = []
    for position in (usual, newer):
        if position is not None:
            marked = rhyme[:position + 1] + _TONE_MARKS[tone] + rhyme[position + 1:]
            spellings.append(unicodedata.normalize("NFC", onset + marked))
    return spellings


@lru_cache(maxsize=8192)
def _tone_spellings(word):
    """The word's letters and tone with the tone where each style puts it ("sâý" -> ["sấy"], "hoà" -> ["hòa",
    "hoà"]); [] when the letters do not parse as a syllable."""
    base, tone = _strip_tone(word)
    if tone == "?":
        return []
    parts = _split_onset(base)
    if parts is None:
        return []
    return _place_tone(parts[0], parts[1], tone)


def _usual_spelling(word):
    """A syllable with its tone where the usual style puts it ("hoà" -> "hòa"), so both styles compare equal."""
    spellings = _tone_spellings(word)
    return spellings[0] if spellings else word


# --- Telex -------------------------------------------------------------------------------------------------

def _apply_vowel_keys(letters):
    """Turn Telex vowel keys into letters (aa â, aw ă, ee ê, oo ô, ow ơ, uw ư, uow ươ, w ư); None if malformed."""
    out = []
    for ch in letters:
        last = out[-1] if out else ""
        if ch == "w":
            if len(out) >= 2 and last == "o" and out[-2] in "uư":
                out[-2:] = ["ư", "ơ"]
            elif last in ("a", "o", "u"):
                out[-1] = {"a": "ă", "o": "ơ", "u": "ư"}[last]
            elif not last:
                out.append("ư")  # w alone: tw -> tư, nhwngx -> những
            elif last not in _VOWELS:
                # A late w, typed after the final consonant: it marks the vowels before it.
                text = "".join(out)
                nucleus_end = len(text.rstrip("cmnghpt"))
                head, tail = text[:nucleus_end], text[nucleus_end:]
                if head.endswith("uo"):
                    head = head[:-2] + "ươ"
                elif head and head[-1] in "aou":
                    head = head[:-1] + {"a": "ă", "o": "ơ", "u": "ư"}[head[-1]]
                else:
                    return None
                out = list(head + tail)
            else:
                return None
        elif ch in "aeo" and last == ch:
            out[-1] = {"a": "â", "e": "ê", "o": "ô"}[ch]
        elif ch in "aeo" and last == {"a": "â", "e": "ê", "o": "ô"}[ch]:
            return None  # a third key undoes the mark in Telex: not something typed on purpose
        else:
            out.append(ch)
    rhyme = "".join(out)
    return "uơ" if rhyme == "ươ" else rhyme  # thuở, huơ: ươ never ends a syllable


@lru_cache(maxsize=4096)
def decode_telex(word):
    """The spellings a word typed in Telex with the input method off stands for ("ngheej" -> ["nghệ"]), or [].

    Only well-formed Vietnamese syllables come back; words with no Telex keys ("nam") or that are not a
    syllable once decoded ("drip", "feed", "solar") give []. Where the usual and the newer style place the tone
    differently (hòa / hoà) both come back, the usual one first."""
    if not word or len(word) > _MAX_TELEX_LENGTH or not word.isascii() or not word.isalpha():
        return []
    text = word.lower()
    if text.startswith("dd"):
        text = "đ" + text[2:]
    cluster = 0
    while cluster < len(text) and text[cluster] not in "aeiouyw":
        cluster += 1
    onset, zone = text[:cluster], text[cluster:]
    if onset and onset not in _ONSETS:
        return []
    tone = ""
    letters = []
    for ch in zone:
        if ch in _TONE_MARKS:
            if tone:
                return []  # two tone keys: English ("dress", "boss"), not Telex
            tone = ch
        else:
            letters.append(ch)
    rhyme = _apply_vowel_keys("".join(letters))
    if not rhyme:
        return []
    base = onset + rhyme
    if base == text and not tone:
        return []  # nothing Telex about it
    parts = _split_onset(base)
    if parts is None or not _valid_parts(parts[0], parts[1], tone):
        return []
    return _place_tone(parts[0], parts[1], tone)


# --- vocabulary --------------------------------------------------------------------------------------------

def _damerau(a, b, limit):
    """Optimal-string-alignment distance of a and b (a transposition counts one), or limit + 1 if above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word, depth):
    """Every string made by deleting up to depth letters of word, word excluded."""
    found = set()
    layer = {word}
    for _ in range(depth):
        layer = {item[:i] + item[i + 1:] for item in layer for i in range(len(item))} - found
        found |= layer
    found.discard(word)
    return found


class Vocabulary:
    """The index's words and their document frequencies, with the look-ups query reading needs.

    `frequencies` maps a word to its document frequency, with both the accented ("công") and the folded
    ("cong") form of every word. Building the spelling index costs a fraction of a second for 50,000 words,
    so build one Vocabulary per version of the index and pass it to read_query() (a plain Mapping works too:
    read_query() then keeps a Vocabulary for the last few mappings it saw, which goes stale if one is changed
    in place without changing its length)."""

    def __init__(self, frequencies):
        """Wrap a Mapping of word -> document frequency; the indexes are built when first needed."""
        self.frequencies = frequencies
        self.size = len(frequencies)
        self._accented = None
        self._deletes = None

    def prepare(self):
        """Build the look-up indexes now (about a second for 50,000 words) rather than on the first query that
        needs them; returns the vocabulary. Worth calling where a new vocabulary is built in the background."""
        self.accented_forms("")
        self._deletes_index()
        return self

    def __len__(self):
        """How many words (accented and folded forms) the vocabulary holds."""
        return self.size

    def __contains__(self, word):
        """Whether the word, as typed or folded, occurs in the index."""
        return word in self.frequencies or _fold(word) in self.frequencies

    def frequency(self, word):
        """The document frequency of a word, or of its folded form when the word itself is unknown."""
        value = self.frequencies.get(word)
        if value is None:
            value = self.frequencies.get(_fold(word), 0)
        return value or 0

    def accented_forms(self, folded):
        """The accented words of the index whose folded form is folded ("cong" -> ["công", "cống", …])."""
        if self._accented is None:
            accented = {}
            for word in self.frequencies:
                if isinstance(word, str):
                    plain = _fold(word)
                    if plain != word:
                        accented.setdefault(plain, []).append(word)
            self._accented = accented
        return self._accented.get(folded, ())

    def _deletes_index(self):
        """Folded word and its deletes -> folded words (SymSpell): one edit for all, two for long words."""
        if self._deletes is None:
            index = {}
            words = {_fold(word) for word in self.frequencies if isinstance(word, str)}
            for word in words:
                if len(word) < 2 or len(word) > _MAX_SPELLING_LENGTH or not word.isalpha():
                    continue
                # Two deletes only for words of 8 letters or more, since only typed words that long may be two
                # edits off. A shorter word two edits from one is short of at least one of its letters, so its
                # single deletes meet the typed word's double deletes. Vietnamese syllables have at most 7
                # letters: the index stays small.
                depth = 2 if len(word) >= _LONG_WORD else 1
                for key in _deletes(word, depth) | {word}:
                    entry = index.get(key)
                    if entry is None:
                        index[key] = word
                    elif isinstance(entry, str):
                        index[key] = [entry, word]
                    else:
                        entry.append(word)
            self._deletes = index
        return self._deletes

    def correction(self, word):
        """The word of the index most likely meant by a word it does not know, or None.

        Fewest edits on the folded forms first (a transposition is one edit; two edits only for words of 8
        letters or more), then, for a word typed with diacritics, the accented word closest to what was typed,
        then the most documents. A word typed with diacritics whose folded form the index knows is a slip of
        diacritics or a letter: the tone on the wrong vowel ("sâý" -> "sấy"), or the most frequent accented word
        one edit away ("nươc" -> "nước", "sảm" -> "sản"); the other style of the same word (hoà / hòa) is none."""
        folded = _fold(word)
        if word in self.frequencies or not folded.isalpha() or len(folded) > _MAX_SPELLING_LENGTH:
            return None
        if folded in self.frequencies:
            return self._diacritics_slip(word, folded) if word != folded else None
        limit = 2 if len(folded) >= _LONG_WORD else 1
        best = None
        for candidate in self._near(folded, limit):
            distance = _damerau(folded, candidate, limit)
            if distance > limit:
                continue
            if word != folded:
                form = self._closest_form(word, candidate)
                rank = (distance, _damerau(word, form, 99), -self.frequency(form), form)
            else:
                rank = (distance, 0, -self.frequency(candidate), candidate)
            if best is None or rank < best:
                best = rank
        return best[-1] if best else None

    def _near(self, folded, limit):
        """Folded words of the index that may be within limit edits of folded (to be checked by the caller)."""
        index = self._deletes_index()
        found = set()
        for key in _deletes(folded, limit) | {folded}:
            entry = index.get(key)
            if entry is None:
                continue
            if isinstance(entry, str):
                found.add(entry)
            else:
                found.update(entry)
        return found

    def _closest_form(self, word, folded):
        """The accented word of the index with this folded form closest to what was typed (folded if none)."""
        forms = self.accented_forms(folded)
        if not forms:
            return folded
        return min(forms, key=lambda form: (_damerau(word, form, 99), -self.frequency(form), form))

    def _diacritics_slip(self, word, folded):
        """The accented word meant by an accented word the index lacks though it knows its letters, or None."""
        spellings = _tone_spellings(word)
        if word in spellings:
            if any(spelling in self.frequencies for spelling in spellings):
                return None  # the other style of a word the index has (hoà / hòa)
        else:
            for spelling in spellings:
                if spelling in self.frequencies:
                    return spelling  # the tone on the wrong vowel
        close = [form for candidate in self._near(folded, 1) for form in self.accented_forms(candidate)
                 if _damerau(word, form, 1) <= 1]
        return max(close, key=lambda form: (self.frequency(form), form)) if close else None


_compiled_lock = threading.Lock()


def _compiled(store, source, build):
    """build(source), remembered for the last few sources (by identity and length) so it is built once.

    The store holds the source itself, so its id cannot be reused by another object while remembered; a
    source changed in place without changing its length keeps its stale compiled form. Threads share the store
    (a matching refresh reads listings while requests read queries): it is changed under a lock, and a source
    two threads compile at once is compiled twice, which is harmless."""
    key = id(source)
    cached = store.get(key)
    if cached is not None and cached[0] is source and cached[1] == len(source):
        return cached[2]
    built = build(source)
    with _compiled_lock:
        while len(store) >= _CACHED_SOURCES:
            store.pop(next(iter(store)))
        store[key] = (source, len(source), built)
    return built


_vocabularies = {}
_NO_WORDS = {}


def _as_vocabulary(vocabulary):
    """A Vocabulary for what read_query() was given: itself, or one kept for the last few mappings seen."""
    if isinstance(vocabulary, Vocabulary):
        return vocabulary
    return _compiled(_vocabularies, _NO_WORDS if vocabulary is None else vocabulary, Vocabulary)


# --- glossary and abbreviations ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    """One glossary row, compiled: the term's own words and the expansion's words."""

    term_words: tuple
    expansion: str
    expansion_words: tuple


def _plurals(word):
    """English plural spellings of a word ("dryer" -> "dryers", "battery" -> "batteries")."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    return [word + "s"]


def is_english_term(words):
    """Whether a term's words (tokenize()) are English: all ASCII, and not all of them syllables Vietnamese typed
    without diacritics could be ("drip irrigation" is; "may say" is not)."""
    return all(word.isascii() for word in words) and not all(could_be_syllable(word) for word in words)


class Glossary:
    """Terms and the phrases they should also find, indexed by their folded words for matching queries."""

    def __init__(self, pairs=()):
        """Compile (term, expansion) pairs, or a Mapping of term -> expansion; a term may come several times
        with different expansions. Rows that are not pairs of text are skipped."""
        self._index = {}
        self._first = {}  # a term's first folded word -> the longest term starting with it
        self.longest = 0
        self.english_words = set()
        self.rows = 0
        plurals = []
        if isinstance(pairs, Mapping):
            pairs = pairs.items()
        for row in pairs:
            if not isinstance(row, (tuple, list)) or len(row) != 2:
                continue
            term, expansion = row
            term_words = tuple(tokenize(term))
            expansion_words = tuple(tokenize(expansion))
            if not term_words or not expansion_words:
                continue
            self.rows += 1
            entry = _Entry(term_words, normalize(expansion), expansion_words)
            key = tuple(_fold(word) for word in term_words)
            self._index.setdefault(key, []).append(entry)
            self._first[key[0]] = max(self._first.get(key[0], 0), len(key))
            self.longest = max(self.longest, len(key))
            if is_english_term(term_words):
                self.english_words.update(term_words)
                last = term_words[-1]
                if last.isalpha() and len(last) >= 3:
                    for plural in _plurals(last):
                        plurals.append((key[:-1] + (plural,), entry))
        terms = set(self._index)
        for key, entry in plurals:
            if key not in terms:  # "dryers" has a row of its own: the plural of "dryer" does not add to it
                self._index.setdefault(key, []).append(_Entry(key, entry.expansion, entry.expansion_words))
                self._first[key[0]] = max(self._first.get(key[0], 0), len(key))

    def __len__(self):
        """How many rows were compiled."""
        return self.rows

    def match(self, words, skip):
        """Non-overlapping matches in words, longest first: (start, end, entries), in the order of the words.

        `skip` marks positions already understood; a match never covers them."""
        folded = [_fold(word) for word in words]
        reach = [self._first.get(word, 0) for word in folded]  # no term starting here is longer
        taken = list(skip)
        found = []
        for size in range(min(self.longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                end = start + size
                if reach[start] < size or any(taken[start:end]):
                    continue
                entries = self._index.get(tuple(folded[start:end]))
                if not entries:
                    continue
                entries = [entry for entry in entries if _same_diacritics(words[start:end], entry.term_words)]
                if entries:
                    found.append((start, end, entries))
                    taken[start:end] = [True] * size
        found.sort(key=lambda item: item[0])
        return found


_glossaries = {}
_abbreviation_indexes = {}


def _as_glossary(glossary):
    """A Glossary for what read_query() was given; lists, tuples and Mappings are compiled once while unchanged."""
    if isinstance(glossary, Glossary):
        return glossary
    if isinstance(glossary, (list, tuple, Mapping)):
        return _compiled(_glossaries, glossary, Glossary)
    return Glossary(glossary or ())


def _abbreviation_key(abbreviation):
    """How an abbreviation is looked up: folded, letters and digits only ("KH&CN", "kh&cn", "KHCN" -> "khcn")."""
    return "".join(ch for ch in _fold(abbreviation) if ch.isalnum())


def _abbreviation_index(abbreviations):
    """{lookup key: expansion} of a Mapping (or pairs) of abbreviation -> expansion; the first row of a key wins."""
    rows = abbreviations.items() if isinstance(abbreviations, Mapping) else abbreviations
    index = {}
    for row in rows:
        if isinstance(row, (tuple, list)) and len(row) == 2 and isinstance(row[0], str):
            key, expansion = _abbreviation_key(row[0]), normalize(row[1])
            if key and expansion:
                index.setdefault(key, expansion)
    return index


def _as_abbreviations(abbreviations):
    """The abbreviation index for what read_query() was given, built once per mapping while unchanged."""
    if not abbreviations:
        return {}
    return _compiled(_abbreviation_indexes, abbreviations, _abbreviation_index)


def _same_diacritics(typed, term):
    """Whether typed words agree with a term's words: a word typed without diacritics agrees with any."""
    for word, term_word in zip(typed, term):
        if word != _fold(word) and _usual_spelling(word) != _usual_spelling(term_word):
            return False
    return True


def _read_pairs(path, columns):
    """Rows of a two-column CSV file with a header, as (first, second) pairs with surrounding spaces trimmed."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [(normalize(row[columns[0]]), normalize(row[columns[1]])) for row in reader]


def load_glossary(paths=(GLOSSARY_FILE, SYMPTOMS_FILE)):
    """The shipped glossary (marketplace/data/glossary.csv and symptoms.csv), compiled."""
    return Glossary([pair for path in paths for pair in _read_pairs(path, ("term", "expansion"))])


def load_abbreviations(path=ABBREVIATIONS_FILE):
    """The shipped abbreviations (marketplace/data/abbreviations.csv) as folded abbreviation -> expansion."""
    pairs = _read_pairs(path, ("abbreviation", "expansion"))
    return {_abbreviation_key(abbreviation): expansion for abbreviation, expansion in pairs}


# --- reading a query ---------------------------------------------------------------------------------------

@dataclass
class _Word:
    """A word of the query while it is being read: what was typed, how it reads now, whether to leave it be."""

    typed: str
    text: str
    settled: str = ""  # "glossary" or "abbreviation" once a step has understood the word
    changed: bool = False


class _Reader:
    """Collects expansions and notes for one query without duplicates."""

    def __init__(self, text):
        """Start an empty reading of the normalised text."""
        self.reading = Reading(text=text)
        self._seen = set()

    def expand(self, kind, source, target, words):
        """Add a phrase to search too, and its note, unless the same phrase was added already."""
        words = list(words)
        key = tuple(words)
        if not words or key in self._seen:
            return
        self._seen.add(key)
        self.reading.expansions.append(words)
        self.reading.notes.append(Note(kind, source, target))


def _match_glossary(reader, words, glossary):
    """Add the expansions of glossary terms found in the words, and settle the words they cover."""
    if glossary is None or not glossary.longest:
        return
    found = glossary.match([word.text for word in words], [word.settled for word in words])
    for start, end, entries in found:
        source = " ".join(word.typed for word in words[start:end])
        own = tuple(_fold(word.text) for word in words[start:end])
        for entry in entries:
            if tuple(_fold(word) for word in entry.expansion_words) != own:
                reader.expand("glossary", source, entry.expansion, entry.expansion_words)
        for word in words[start:end]:
            word.settled = "glossary"


def _match_abbreviations(reader, words, spans, text, abbreviations):
    """Add the expansions of abbreviations, including ones written in parts ("KH&CN"), and settle them."""
    if not abbreviations:
        return
    joined = set()
    for i in range(len(words) - 1):
        gap = text[spans[i][1]:spans[i + 1][0]]
        if gap in _ABBREVIATION_JOINERS and i not in joined:
            expansion = abbreviations.get(_abbreviation_key(words[i].text + words[i + 1].text))
            if expansion:
                reader.expand("abbreviation", text[spans[i][0]:spans[i + 1][1]], expansion, tokenize(expansion))
                words[i].settled = words[i + 1].settled = "abbreviation"
                joined.update((i, i + 1))
    for i, word in enumerate(words):
        if i in joined:
            continue
        expansion = abbreviations.get(_abbreviation_key(word.text))
        if expansion and not word.text.isdigit():
            reader.expand("abbreviation", word.typed, expansion, tokenize(expansion))
            word.settled = "abbreviation"


def _telex_word(word, vocabulary):
    """The word a Telex-typed word stands for, if the index knows it; None otherwise.

    The accented spelling must be in the index; the folded one is enough only when the index has no
    accented word with that folded form (an index kept without diacritics)."""
    spellings = decode_telex(word)
    if not spellings:
        return None
    for spelling in spellings:
        if spelling in vocabulary.frequencies:
            return spelling
    folded = _fold(spellings[0])
    if folded in vocabulary.frequencies and not vocabulary.accented_forms(folded):
        return spellings[0]
    return None


def _decode_telex(reader, words, vocabulary, protected):
    """Replace words typed in Telex by what they stand for; one note per run of consecutive decoded words."""
    run = []

    def close_run():
        """Note the run of decoded words that just ended."""
        if run:
            reader.reading.notes.append(Note("telex", " ".join(w.typed for w in run),
                                             " ".join(w.text for w in run)))
            run.clear()

    for word in words:
        decoded = None
        if not word.settled and word.text not in protected and word.text not in vocabulary:
            decoded = _telex_word(word.text, vocabulary)
        if decoded:
            word.text = decoded
            word.changed = True
            run.append(word)
        else:
            close_run()
    close_run()


def split_run_together(word, vocabulary):
    """The pieces of a run-together word ("maycaylua" -> ["may", "cay", "lua"]) or None.

    Every piece is a word the vocabulary knows; the split with the fewest pieces wins, then the one with the
    most frequent pieces. Pieces keep the diacritics typed ("máysấy" -> ["máy", "sấy"])."""
    if not isinstance(vocabulary, Vocabulary):
        vocabulary = _as_vocabulary(vocabulary)
    length = len(word)
    # best[i]: (pieces, -log frequency, cut positions) of the best split of word[:i]
    best = [None] * (length + 1)
    best[0] = (0, 0.0, ())
    for end in range(1, length + 1):
        for start in range(max(0, end - _MAX_PIECE_LENGTH), end):
            if best[start] is None:
                continue
            piece = word[start:end]
            # Pieces of two letters or more with a vowel: "c" or "kg" in an index come from units, and one-letter
            # words would split typos ("nguoii" -> "nguoi i").
            if end - start < 2 or piece not in vocabulary or not any(ch in _VOWELS for ch in _fold(piece)):
                continue
            pieces, cost, cuts = best[start]
            rank = (pieces + 1, cost - math.log1p(vocabulary.frequency(piece)), cuts + (end,))
            if best[end] is None or rank[:2] < best[end][:2]:
                best[end] = rank
    if best[length] is None or best[length][0] < 2:
        return None
    cuts = (0,) + best[length][2]
    return [word[cuts[i]:cuts[i + 1]] for i in range(len(cuts) - 1)]


def _split_words(reader, words, vocabulary, protected):
    """Split run-together words into words the vocabulary knows; a note for each."""
    result = []
    for word in words:
        pieces = None
        letters = sum(ch.isalpha() for ch in word.text)
        if (not word.settled and word.text not in protected and letters >= 4 and letters == len(word.text)
                and len(word.text) <= _MAX_SPLIT_LENGTH and word.text not in vocabulary
                # a short word one edit from a known one is more likely a typo ("nuco") than two words ("nu co")
                and not (letters <= _SHORT_SPLIT and vocabulary.correction(word.text))):
            pieces = split_run_together(word.text, vocabulary)
        if pieces:
            reader.reading.notes.append(Note("split", word.typed, " ".join(pieces)))
            for piece in pieces:
                result.append(_Word(typed=piece, text=piece, changed=True))
        else:
            result.append(word)
    return result


def _correct_spelling(reader, words, vocabulary, protected):
    """Record a likely correction for each word that looks mistyped."""
    corrections = reader.reading.corrections
    for word in words:
        text = word.text
        # A glossary term matched with slipped diacritics ("máy sâý") still gets them corrected; nothing else
        # a step has understood is touched.
        slip_only = word.settled == "glossary" and text != _fold(text) and _fold(text) in vocabulary.frequencies
        if ((word.settled and not slip_only) or text in corrections or text in protected or len(text) < 3
                or len(text) > _MAX_SPELLING_LENGTH or not text.isalpha() or text in vocabulary.frequencies
                or not any(ch in _VOWELS for ch in _fold(text))):
            continue
        correction = vocabulary.correction(text)
        if correction and correction != text:
            corrections[text] = correction
            reader.reading.notes.append(Note("spelling", text, correction))


def read_query(text, vocabulary, glossary=(), abbreviations=None, max_words=40, repair=True):
    """Understand a search query: see the module docstring for the steps. Never raises on any input.

    `vocabulary`: a Vocabulary, or a Mapping of word -> document frequency (accented and folded forms).
    `glossary`: a Glossary (load_glossary()), or (term, expansion) pairs, or a Mapping of term -> expansion.
    `abbreviations`: a Mapping of abbreviation -> expansion (load_abbreviations()), or None for none; keys are
    compared folded, letters and digits only, so "KH&CN", "kh&cn" and "khcn" are the same key.
    Mappings, lists and tuples given here are compiled once and reused while they are the same object with the
    same length (a list changed in place without changing its length is not noticed: pass a new list).
    Only the first `max_words` words are read. With no words left, the Reading is empty (text "").
    `repair=False` reads the glossary and abbreviations only (no Telex, splitting or spelling): for a listing's
    own text, written with care, which matching reads by the thousand."""
    normalized = normalize(text)
    matches = []
    for match in _WORD.finditer(normalized):
        if len(matches) >= max_words:
            break
        matches.append(match)
    if not matches:
        return Reading(text="")
    vocabulary = _as_vocabulary(vocabulary)
    glossary = _as_glossary(glossary)
    abbreviations = _as_abbreviations(abbreviations)
    words = [_Word(typed=match.group(), text=_lower(match.group())) for match in matches]
    spans = [match.span() for match in matches]
    reader = _Reader(normalized)
    protected = glossary.english_words

    _match_glossary(reader, words, glossary)
    _match_abbreviations(reader, words, spans, normalized, abbreviations)
    if not repair:
        reader.reading.words = [word.text for word in words]
        return reader.reading
    _decode_telex(reader, words, vocabulary, protected)
    words = _split_words(reader, words, vocabulary, protected)
    if any(word.changed for word in words):
        _match_glossary(reader, words, glossary)
    _correct_spelling(reader, words, vocabulary, protected)
    reader.reading.words = [word.text for word in words]
    return reader.reading

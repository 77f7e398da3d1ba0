"""How well an offer answers a need: the words they share and the facts a deal turns on. Pure computation over
Profiles (no database: services.py builds them from listings, bench/ from generated rows).

Text. A listing's public text (title twice, summary, keywords; never the confidential detail, whose words would
show in the reasons) is read as search reads a query: NFC, lower case, each word as written and folded (đ→d;
at FOLDED_SHARE, so "phần mềm" and "phàn nàn" barely meet), question and filler words left out, adjacent
syllables as pairs ("máy sấy" is one term "may_say" besides "may" and "say"), and the glossary's and
abbreviations' expansions added as if written where their term is (profiles.listing_expansions: twice from the
title, and as heavy as the words they read), the glossary read both ways (profiles.both_ways), so a farmer's
"mùi hôi ở trại gà" meets an offer of "chế phẩm khử mùi", "ốc bươu vàng" meets "Pomacea", an offer on "ruồi đục
quả" also says "quả có dòi", and "XLNT" meets "xử lý nước thải". Terms are weighted TF-IDF (1 + log tf) × log((N + 1) / df) over the
listings being matched against, and compared by cosine. Pairs count double: two listings sharing "máy sấy" and
"nông sản" share more than two listings sharing "máy" and "sản".

Sparse matrices. An Index holds one side (offers, or needs) over a vocabulary of interned terms as two scipy
CSR matrices: the raw term weights, a row per listing (to weigh again, and to read a listing as a query against
the other side), and the unit TF-IDF vectors transposed, a row per term (the postings). A listing's cosine with
every listing of a side is its vector times the postings of its terms: the work is the postings read, done in C.
Terms in more than COMMON_SHARE of the side are left out of that product (their idf is near zero and their
postings long) but count in the norms. The best CANDIDATES by text (cosine at least MIN_TEXT) are scored in
full with numpy (facts_scores: judge's arithmetic on arrays), and judge() (reasons, violations) and the shared
phrases are computed for the kept results only. best_all() does a whole side: the queries' vectors times the
postings, a block of listings at a time, so memory stays bounded.

Changes. A listing added (published, edited) joins a small delta searched beside the main matrices, weighed
with the idf of that moment (the other listings keep the idf they were weighed with); one removed is masked (a
tombstone). Past DELTA_SHARE of the main rows added or removed, compact() merges them and weighs every row again
with the current idf. Index.save() / Index.load() keep the raw weights, facts and texts in one .npz file, so a
new process loads a side of 100,000 listings in seconds instead of reading every text again (minutes).

Score (0..1): text similarity (TEXT_WEIGHT, reaching full weight at cosine TEXT_FULL), sector (same code, or
the same field group for half), TRL at or above the need's minimum, price within budget, a transfer form in
common, the same locality; the facts count in full only from a cosine of FACTS_FULL (below, in proportion).
Hard constraints broken (TRL below the minimum, no transfer form in common, price over PRICE_FAR × the budget)
are violations: such an offer ranks below every offer that fits, whatever its score, and says why; it is never
dropped.
"""
import math
import os
import re
import sys
from array import array
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from marketplace.search.analysis import fold_word, is_filler, words

TITLE_REPEAT = 2
EXPANSION_WEIGHT = 1.0
PAIR_WEIGHT = 2.0
COMMON_SHARE = 0.2
CANDIDATES = 200
MIN_TEXT = 0.05  # below this cosine two listings share nothing worth suggesting
FOLDED_SHARE = 0.3
TEXT_WEIGHT, TEXT_FULL = 0.55, 0.45
SECTOR_WEIGHT, TRL_WEIGHT, PRICE_WEIGHT, FORMS_WEIGHT, LOCALITY_WEIGHT = 0.2, 0.1, 0.05, 0.05, 0.05
PRICE_FAR = 1.5
FACTS_FULL = 0.15  # the text similarity from which sector, TRL, price, forms and locality count in full
MAX_PHRASES = 4

BLOCK = 256  # listings per block of best_all
BLOCK_CELLS = 1 << 23  # and at most this many scores per block (8M float64: 64 MB), so memory stays bounded
DELTA_MIN, DELTA_SHARE = 256, 0.05  # compact() past max(DELTA_MIN, DELTA_SHARE x main rows) added or removed
ROWS_AT_ONCE = 8192  # rows weighed at once (temporaries of that many rows)
WEIGHT_STEP = 20  # raw term weights are sums of 1, 0.5, 0.3 (x 2 for pairs): twentieths, kept as uint16
MARGIN = 2  # judged beyond `limit` (numpy's rounding may differ from Python's in the last digit)
FORMAT = 2  # of Index.save's files; another format (or other reading settings) is not loaded. 2: read both ways

_CHUNK = re.compile(r"[,.;:!?()\[\]/|\n]+")


@dataclass
class Profile:
    """What matching knows of one listing."""

    id: int
    kind: str  # "offer" | "need"
    terms: dict = field(default_factory=dict)  # term -> raw weight (term frequency, pairs and expansions weighted)
    text: str = ""  # the public text as written, for the phrases shown as reasons
    sector_code: str = ""
    trl: int = None  # an offer's TRL, or a need's minimum
    price_vnd: int = None  # an offer's price, or a need's budget ceiling
    modes: frozenset = frozenset()
    locality_code: str = ""
    version: str = ""  # changes with every edit of the listing (services keep indexes up to date with it)

    @property
    def sector_group(self):
        return (self.sector_code or "")[:1]


@dataclass
class Reason:
    """A reason or a violation: a code and the values its sentence needs (the sentence is made per language)."""

    code: str
    values: dict = field(default_factory=dict)


@dataclass
class Match:
    """A need, an offer, how well they fit (0..1), why, and what breaks."""

    need_id: int
    offer_id: int
    score: float
    text: float
    reasons: list
    violations: list

    @property
    def fits(self):
        return not self.violations


# --- reading a listing -----------------------------------------------------------------------------------

def make_profile(id, kind, title="", summary="", keywords="", expansions=(), **facts):
    """A Profile from a listing's public text and facts; `expansions` are the glossary's and abbreviations'
    phrases found in that text: lists of words, or (words, how many times they count)."""
    profile = Profile(id=id, kind=kind, text="\n".join(v for v in (title, summary, keywords) if v), **facts)
    terms = profile.terms
    for text, repeat in ((title, TITLE_REPEAT), (summary, 1), (keywords, 1)):
        if text:
            chunks = [_content(chunk) for chunk in _chunks(text)]
            for _ in range(repeat):
                for kept in chunks:
                    _add_words(terms, kept, 1.0)
    for phrase in expansions:
        phrase, times = phrase if isinstance(phrase, tuple) else (phrase, 1)
        _add_words(terms, _content(list(phrase)), EXPANSION_WEIGHT * times)
    return profile


def _chunks(text):
    """Runs of words between punctuation: a pair never spans a comma or a full stop."""
    return [words(part) for part in _CHUNK.split(text or "") if part.strip()]


def _content(chunk):
    """(word as written, folded) of the words that carry meaning: no fillers, no single letters, no numbers."""
    kept = [(w, fold_word(w)) for w in chunk]
    return [(w, f) for w, f in kept if _carries_meaning(w, f)]


def _carries_meaning(word, folded):
    return len(folded) > 1 and not folded.isdigit() and not is_filler(word, folded)


def _side_by_side(chunk):
    """The content words of a chunk (as _content gives them) and, for each word and the next, whether they stand
    side by side as written. Pairs are made across the words left out (a filler, a number, a single letter:
    "tưới cho cây" weighs "tưới_cây"), so they count in the score; but a phrase quoted as shared must be words
    as written, never two glued across a gap ("thu nhiệt" out of "thu hồi nhiệt")."""
    kept = [(n, w, fold_word(w)) for n, w in enumerate(chunk)]
    kept = [(n, w, f) for n, w, f in kept if _carries_meaning(w, f)]
    return [(w, f) for _, w, f in kept], [b[0] == a[0] + 1 for a, b in zip(kept, kept[1:])]


def _add_words(terms, kept, weight):
    for word, folded in kept:
        _add(terms, word, folded, weight)
    pair_weight = weight * PAIR_WEIGHT
    for (a, fa), (b, fb) in zip(kept, kept[1:]):
        _add(terms, a + "_" + b, fa + "_" + fb, pair_weight)


def _add(terms, exact, folded, weight):
    """A word or pair as written, and folded at FOLDED_SHARE: "phần" (mềm) and "phàn" (nàn) differ, though a text
    typed without diacritics still meets them a little. Terms are interned: the same syllables and pairs recur
    in thousands of listings, and one string each keeps the vocabulary small."""
    folded = sys.intern(folded)
    if exact == folded:
        terms[folded] = terms.get(folded, 0.0) + weight
    else:
        exact = sys.intern(exact)
        terms[exact] = terms.get(exact, 0.0) + weight
        terms[folded] = terms.get(folded, 0.0) + weight * FOLDED_SHARE


def reading_settings():
    """The settings a Profile's terms depend on (a saved Index read with other settings is not loaded)."""
    return (FORMAT, TITLE_REPEAT, EXPANSION_WEIGHT, PAIR_WEIGHT, FOLDED_SHARE)


# --- facts as small integers -----------------------------------------------------------------------------

class _Codes:
    """Small integers for codes (sectors and their groups, localities, transfer forms), shared by every Index
    of a process; 0 is none."""

    def __init__(self):
        self.ids, self.names = {"": 0}, [""]

    def id(self, code):
        code = code or ""
        number = self.ids.get(code)
        if number is None:
            number = self.ids[code] = len(self.names)
            self.names.append(code)
        return number


_SECTORS, _LOCALITIES, _MODES = _Codes(), _Codes(), _Codes()
FACTS = ("sector", "group", "trl", "price", "modes", "locality")


def _mode_mask(modes):
    mask = 0
    for mode in modes:
        bit = _MODES.id(mode) - 1
        if bit > 62:
            raise ValueError("matching: more than 63 transfer forms")
        mask |= 1 << bit
    return mask


_MODE_SETS = {}


def _modes_of(mask):
    mask = int(mask)
    modes = _MODE_SETS.get(mask)
    if modes is None:
        modes = _MODE_SETS[mask] = frozenset(name for bit, name in enumerate(_MODES.names[1:]) if mask >> bit & 1)
    return modes


def _facts_of(profile):
    code = profile.sector_code or ""
    return (_SECTORS.id(code), _SECTORS.id(code[:1]), int(profile.trl or 0), int(profile.price_vnd or 0),
            _mode_mask(profile.modes), _LOCALITIES.id(profile.locality_code))


def facts_scores(need, offer, text):
    """(scores rounded to 4 places, fits) of needs and offers given as {fact: number or array} (FACTS, as an
    Index holds them), with text cosines `text`: judge()'s arithmetic, in the same order, on arrays."""
    both = (need["sector"] > 0) & (offer["sector"] > 0)
    score = np.where(both & (need["sector"] == offer["sector"]), SECTOR_WEIGHT,
                     np.where(both & (need["group"] == offer["group"]), SECTOR_WEIGHT / 2, 0.0))
    both = (need["trl"] > 0) & (offer["trl"] > 0)
    score = score + np.where(both, np.where(offer["trl"] >= need["trl"], TRL_WEIGHT, 0.0),
                             np.where(need["trl"] == 0, TRL_WEIGHT / 2, 0.0))
    broken = both & (offer["trl"] < need["trl"])
    both = (need["price"] > 0) & (offer["price"] > 0)
    score = score + np.where(both, np.where(offer["price"] <= need["price"], PRICE_WEIGHT, 0.0), PRICE_WEIGHT / 2)
    broken = broken | (both & (offer["price"] > PRICE_FAR * need["price"]))
    both = (need["modes"] != 0) & (offer["modes"] != 0)
    common = (need["modes"] & offer["modes"]) != 0
    score = score + np.where(both, np.where(common, FORMS_WEIGHT, 0.0), FORMS_WEIGHT / 2)
    broken = broken | (both & ~common)
    score = score + np.where((need["locality"] > 0) & (need["locality"] == offer["locality"]), LOCALITY_WEIGHT, 0.0)
    text = np.asarray(text, dtype=np.float64)
    score = TEXT_WEIGHT * np.minimum(text / TEXT_FULL, 1.0) + score * np.minimum(text / FACTS_FULL, 1.0)
    return np.round(np.minimum(score, 1.0), 4), ~broken


def _tf_part(tf):
    """1 + log tf for a term seen at least once, tf itself below (a folded form, an expansion)."""
    return np.where(tf >= 1, 1.0 + np.log(np.maximum(tf, 1.0)), tf)


def _unit_rows(tf, idf, drop=None):
    """Unit TF-IDF rows (CSR) from raw term weights (CSR, see _raw) and an idf per column, ROWS_AT_ONCE rows at
    a time (bounded temporaries); the columns where `drop` is true are left out after the norms."""
    count, indptr = tf.shape[0], tf.indptr
    keep_all = None if drop is None or not drop.any() else ~drop
    total = tf.nnz if keep_all is None else int(keep_all[tf.indices].sum())
    data, indices = np.empty(total), np.empty(total, dtype=np.int32)
    kept_indptr = np.zeros(count + 1, dtype=np.int64)
    out = 0
    for lo in range(0, count, ROWS_AT_ONCE):
        hi = min(count, lo + ROWS_AT_ONCE)
        a, b = indptr[lo], indptr[hi]
        cols = tf.indices[a:b]
        weights = _tf_part(_raw(tf.data[a:b])) * idf[cols]
        rows = np.repeat(np.arange(hi - lo), np.diff(indptr[lo:hi + 1]))
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=hi - lo))
        norms[norms == 0] = 1.0
        weights /= norms[rows]
        if keep_all is not None:
            keep = keep_all[cols]
            weights, cols, rows = weights[keep], cols[keep], rows[keep]
        data[out:out + len(weights)] = weights
        indices[out:out + len(weights)] = cols
        kept_indptr[lo + 1:hi + 1] = out + np.cumsum(np.bincount(rows, minlength=hi - lo))
        out += len(weights)
    return sparse.csr_matrix((data, indices, kept_indptr), shape=tf.shape)


def _snap(data):
    """Raw weights as uint16 twentieths when that is exact (to 1e-9): a quarter of the memory of float64. The
    weights are sums of 1, 0.5 and 0.3 (x 2 for pairs), so they are, but for the last bits of the sums."""
    if data.dtype == np.uint16 or not len(data):
        return data
    snapped = np.empty(len(data), dtype=np.uint16)
    for lo in range(0, len(data), 1 << 20):  # bounded temporaries
        part = data[lo:lo + (1 << 20)]
        steps = np.rint(part * WEIGHT_STEP)
        if steps.max() >= 65536 or np.abs(steps / WEIGHT_STEP - part).max() >= 1e-9:
            return np.asarray(data, dtype=np.float64)
        snapped[lo:lo + len(part)] = steps
    return snapped


def _float_rows(matrix):
    """A CSR matrix of raw weights with float64 data (from _snap's twentieths)."""
    if matrix.data.dtype == np.uint16:
        matrix = sparse.csr_matrix((_raw(matrix.data), matrix.indices, matrix.indptr), shape=matrix.shape)
    return matrix


def _raw(data):
    """Raw weights as float64, from _snap's twentieths or as they are."""
    return data / WEIGHT_STEP if data.dtype == np.uint16 else data


# --- one side's listings ---------------------------------------------------------------------------------

class _Block:
    """Listings weighed together: their ids, raw term weights (a row each), unit vectors by term (the postings,
    common terms left out), facts, texts (UTF-8), versions, and which are still there."""

    def __init__(self, ids, tf, idf, facts, texts, versions, common=None):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.tf = tf
        # Common terms are never read by a text score: more than half the entries, left out of the postings.
        self.post = _unit_rows(tf, idf, common).T.tocsr() if tf.shape[0] else sparse.csr_matrix((tf.shape[1], 0))
        self.facts = {name: np.asarray(values, dtype=np.int64) for name, values in zip(FACTS, facts)}
        self.texts = texts
        self.versions = versions
        self.alive = np.ones(len(self.ids), dtype=bool)

    def __len__(self):
        return len(self.ids)


class _Row:
    """A listing of the delta: its columns, raw weights, unit weights (with the idf of when it came), facts."""

    __slots__ = ("id", "cols", "tf", "weights", "facts", "text", "version")

    def __init__(self, id, cols, tf, weights, facts, text, version):
        self.id, self.cols, self.tf, self.weights = id, cols, tf, weights
        self.facts, self.text, self.version = facts, text, version


class Index:
    """The listings of one side (offers, or needs) ready to be matched against: a vocabulary, document
    frequencies, the main block of sparse matrices, and a delta of listings added since it was weighed."""

    def __init__(self, profiles=(), kind=None):
        self.kind = kind
        self.vocab, self.terms = {}, []
        self._df = np.zeros(1024, dtype=np.int64)
        self.size = 0
        self.versions = {}  # id -> version of every listing held
        self.compactions = 0
        self._build(profiles)

    # building and changing

    def _columns(self, terms):
        vocab, names = self.vocab, self.terms
        cols = []
        for term in terms:
            col = vocab.get(term)
            if col is None:
                col = vocab[term] = len(names)
                names.append(term)
            cols.append(col)
        if len(names) > len(self._df):
            self._df = np.concatenate([self._df, np.zeros(max(len(names), 2 * len(self._df)) - len(self._df),
                                                          dtype=np.int64)])
        return np.asarray(cols, dtype=np.int64)

    @property
    def df(self):
        """Document frequency of each column of the vocabulary."""
        return self._df[:len(self.terms)]

    def _build(self, profiles):
        """The main block from profiles (an iterable, read once: they are not kept). The raw weights are snapped
        (_snap) a million at a time, so that no float64 copy of them all is ever held."""
        indptr, indices, data, snapped = array("q", [0]), array("i"), array("d"), []
        ids, texts, versions = array("q"), [], []
        facts = [array("q") for _ in FACTS]
        for profile in profiles:
            self.kind = self.kind or profile.kind
            indices.extend(self._columns(profile.terms).tolist())
            data.extend(profile.terms.values())
            if len(data) >= 1 << 20:
                snapped.append(_snap(np.array(data)))
                data = array("d")
            indptr.append(len(indices))
            ids.append(profile.id)
            texts.append(profile.text.encode("utf-8"))
            versions.append(profile.version)
            for column, value in zip(facts, _facts_of(profile)):
                column.append(value)
        snapped.append(_snap(np.array(data)))
        if len({part.dtype for part in snapped if len(part)}) > 1:  # some not twentieths: float64 for all
            snapped = [_raw(part) for part in snapped]
        tf = sparse.csr_matrix((np.concatenate(snapped),
                                np.frombuffer(indices, dtype=np.int32) if indices else np.zeros(0, dtype=np.int32),
                                np.frombuffer(indptr, dtype=np.int64)), shape=(len(ids), len(self.terms)))
        del data, snapped
        self._set_main(np.frombuffer(ids, dtype=np.int64) if ids else np.zeros(0, dtype=np.int64), tf,
                       [np.frombuffer(column, dtype=np.int64) if column else np.zeros(0, dtype=np.int64)
                        for column in facts], texts, versions)

    def _set_main(self, ids, tf, facts, texts, versions):
        """Make (ids, raw weights, facts, texts in UTF-8, versions) the main block, weighed with their own
        document frequencies."""
        ids = np.asarray(ids, dtype=np.int64)
        keep = _last_of_each(ids)  # an id given twice: the later listing stands
        if keep is not None:
            ids, tf = ids[keep], tf[keep]
            facts = [np.asarray(column)[keep] for column in facts]
            texts, versions = [texts[i] for i in keep], [versions[i] for i in keep]
        tf.data = _snap(tf.data)
        self._df[:] = 0
        counts = np.bincount(tf.indices, minlength=len(self.terms))
        self._df[:len(counts)] = counts
        self.size = len(ids)
        self._main = _Block(ids, tf, self._idf_all(), facts, texts, versions, self._common())
        self._main_row = {int(pid): row for row, pid in enumerate(ids)}
        self.versions = dict(zip(self._main_row, versions))
        self._delta = {}
        self._dead = 0
        self._view = None

    def _idf_all(self):
        df = self.df
        return np.where(df > 0, np.log((self.size + 1) / np.maximum(df, 1)), 0.0)

    def add(self, profile):
        """Put a listing in (published, edited): into the delta, weighed with the idf of now."""
        self.remove(profile.id)
        cols = self._columns(profile.terms)
        tf = np.fromiter(profile.terms.values(), dtype=np.float64, count=len(cols))
        self._df[cols] += 1
        self.size += 1
        weights = _tf_part(tf) * np.log((self.size + 1) / self._df[cols])
        weights /= math.sqrt(float(weights @ weights)) or 1.0
        self._delta[profile.id] = _Row(profile.id, cols, tf, weights, _facts_of(profile),
                                       profile.text.encode("utf-8"), profile.version)
        self.versions[profile.id] = profile.version
        self.kind = self.kind or profile.kind
        self._view = None
        self._maybe_compact()

    def remove(self, pid):
        """Take a listing out (withdrawn, edited): dropped from the delta, or masked in the main block."""
        row = self._delta.pop(pid, None)
        if row is not None:
            self._df[row.cols] -= 1
        elif pid in self._main_row:
            main_row = self._main_row.pop(pid)
            self._main.alive[main_row] = False
            self._df[self._main.tf.indices[self._main.tf.indptr[main_row]:self._main.tf.indptr[main_row + 1]]] -= 1
            self._dead += 1
        else:
            return
        self.size -= 1
        self.versions.pop(pid, None)
        self._view = None
        self._maybe_compact()

    def _maybe_compact(self):
        if len(self._delta) + self._dead > max(DELTA_MIN, DELTA_SHARE * len(self._main)):
            self.compact()

    def compact(self):
        """Merge the delta into the main block, drop removed listings, weigh every row with today's idf (nothing
        to do when nothing changed since the last time)."""
        if not self._delta and not self._dead:
            return
        main, rows = self._main, list(self._delta.values())
        alive = np.flatnonzero(main.alive)
        delta_tf = _rows_matrix([r.cols for r in rows], [r.tf for r in rows], len(self.terms))
        tf = sparse.vstack([_widen(_float_rows(main.tf[alive]), len(self.terms)), delta_tf], format="csr")
        facts = [np.concatenate([main.facts[name][alive], np.asarray([r.facts[n] for r in rows], dtype=np.int64)])
                 for n, name in enumerate(FACTS)]
        self._set_main(np.concatenate([main.ids[alive], np.asarray([r.id for r in rows], dtype=np.int64)]), tf,
                       facts, [main.texts[i] for i in alive] + [r.text for r in rows],
                       [main.versions[i] for i in alive] + [r.version for r in rows])
        self.compactions += 1

    def __contains__(self, pid):
        return pid in self.versions

    def __len__(self):
        return self.size

    @property
    def ids(self):
        """The ids of the listings held."""
        return list(self.versions)

    # every listing held, main and delta, as one numbered list ("slots")

    def _slots(self):
        """(main block, delta block or None): the delta gathered into a block of its own, kept until a change."""
        if self._view is None:
            rows = list(self._delta.values())
            delta = None
            if rows:
                delta = _Block.__new__(_Block)
                delta.ids = np.asarray([r.id for r in rows], dtype=np.int64)
                delta.tf = _rows_matrix([r.cols for r in rows], [r.tf for r in rows], len(self.terms))
                delta.post = _rows_matrix([r.cols for r in rows], [r.weights for r in rows], len(self.terms)).T.tocsr()
                delta.facts = {name: np.asarray([r.facts[n] for r in rows], dtype=np.int64)
                               for n, name in enumerate(FACTS)}
                delta.texts = [r.text for r in rows]
                delta.versions = [r.version for r in rows]
                delta.alive = np.ones(len(rows), dtype=bool)
            main = self._main
            blocks = [main] + ([delta] if delta is not None else [])
            self._view = _View(blocks)
        return self._view

    def profile(self, pid):
        """A Profile of a listing held, facts and text only (its terms are in the matrices), or None."""
        view = self._slots()
        slot = view.slot(pid)
        return None if slot is None else view.profile(slot, self.kind)

    # text

    def vector(self, profile):
        """(columns, unit weights) of a profile read with this side's idf: terms this side never uses dropped."""
        pairs = [(col, tf) for col, tf in ((self.vocab.get(t), tf) for t, tf in profile.terms.items())
                 if col is not None and tf > 0]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols = np.fromiter((c for c, _ in pairs), dtype=np.int64, count=len(pairs))
        tf = np.fromiter((t for _, t in pairs), dtype=np.float64, count=len(pairs))
        df = self._df[cols]
        known = df > 0
        cols, tf, df = cols[known], tf[known], df[known]
        weights = _tf_part(tf) * np.log((self.size + 1) / np.maximum(df, 1))
        norm = math.sqrt(float(weights @ weights)) or 1.0
        return cols, weights / norm

    def _common(self):
        """Columns whose terms are in more than COMMON_SHARE of the listings (left out of the text scores)."""
        return self.df > max(COMMON_SHARE * self.size, 50)

    def _scores(self, queries):
        """Text cosines (dense, queries x slots) of unit query rows (CSR over this vocabulary), common terms out."""
        queries = queries.copy()
        queries.data[self._common()[queries.indices]] = 0.0
        queries.eliminate_zeros()
        view = self._slots()
        parts = []
        for block in view.blocks:
            width = block.post.shape[0]
            q = queries if width == queries.shape[1] else _widen(queries, width)
            scores = (q @ block.post).toarray() if block.post.nnz else np.zeros((queries.shape[0], len(block)))
            scores[:, ~block.alive] = 0.0
            parts.append(scores)
        return parts[0] if len(parts) == 1 else np.hstack(parts)

    def similar(self, profile, limit=CANDIDATES):
        """[(id, cosine)] of the listings sharing most with `profile` (read with this side's idf), best first."""
        cols, weights = self.vector(profile)
        scores = self._scores(_one_row(cols, weights, len(self.terms)))[0]
        view = self._slots()
        pool = _pool(scores, view.ids, limit)
        found = sorted(((int(view.ids[s]), float(scores[s])) for s in pool), key=lambda item: (-item[1], item[0]))
        return found[:limit]

    def _phrase_weights(self, cols, weights, text=""):
        """(columns ascending, weights) of the pair terms of a unit vector over this vocabulary: what the shared
        phrases compare. Only pairs the query's `text` writes side by side count (see _side_by_side_pairs):
        not pairs made across a gap, nor those of the glossary's expansions, which the text does not write (an
        offer on "gặm nhấm" read as "chuột phá lúa" must not quote "chuot pha lua" from a need as shared)."""
        pairs = self._pairs()[cols]
        if text:
            pairs &= np.isin(cols, self._side_by_side_pairs(text))
        cols, weights = cols[pairs], weights[pairs]
        order = np.argsort(cols)
        return cols[order], weights[order]

    def _pairs(self):
        """Which columns of the vocabulary are pairs ("máy_sấy")."""
        known = getattr(self, "_pair_columns", None)
        if known is None or len(known) != len(self.terms):
            terms = self.terms
            start = 0 if known is None else len(known)
            more = np.fromiter(("_" in terms[c] for c in range(start, len(terms))), dtype=bool,
                               count=len(terms) - start)
            known = self._pair_columns = more if known is None else np.concatenate([known, more])
        return known

    def _side_by_side_pairs(self, text):
        """Columns of the pairs (as written and folded) of words a text writes side by side: a phrase of that
        text can hold them. Pairs made across a gap (words left out between the two) count in the score only."""
        together = set()
        for chunk in _chunks(text):
            kept, side_by_side = _side_by_side(chunk)
            for ((word, fword), (nxt, fnxt)), adjacent in zip(zip(kept, kept[1:]), side_by_side):
                if adjacent:
                    together.update((word + "_" + nxt, fword + "_" + fnxt))
        vocab = self.vocab
        return np.asarray([vocab[t] for t in together if t in vocab], dtype=np.int64)

    def _read(self, slot, cache=None):
        """What the shared phrases need of a slot's listing: its content words in a row, and for each word and
        the next one the columns of their pair as written and as folded (-1: none, across punctuation, or across
        words left out: a phrase is words side by side, see _side_by_side) with
        the listing's weight of each (tf part x idf, up to the norm, which changes no order between one
        listing's phrases). Compact (arrays, interned words), so a side of thousands can be kept in `cache`."""
        if cache is not None and slot in cache:
            return cache[slot]
        block, row = self._slots().where(slot)
        start, end = block.tf.indptr[row], block.tf.indptr[row + 1]
        cols = block.tf.indices[start:end]
        held = dict(zip(cols.tolist(), (_tf_part(_raw(block.tf.data[start:end]))
                                        * np.log((self.size + 1) / np.maximum(self._df[cols], 1))).tolist()))
        vocab = self.vocab
        written, exact, folded = [], [], []
        for chunk in _chunks(block.texts[row].decode("utf-8")):
            kept, side_by_side = _side_by_side(chunk)
            if not kept:
                continue
            for ((word, fword), (nxt, fnxt)), adjacent in zip(zip(kept, kept[1:]), side_by_side):
                exact.append(vocab.get(word + "_" + nxt, -1) if adjacent else -1)
                folded.append(vocab.get(fword + "_" + fnxt, -1) if adjacent else -1)
            exact.append(-1)  # no pair across punctuation, nor from one listing to the next (see _phrases)
            folded.append(-1)
            written.extend(sys.intern(word) for word, _ in kept)
        read = (written, np.asarray(exact, dtype=np.int64), np.asarray(folded, dtype=np.int64),
                np.asarray([held.get(c, 0.0) for c in exact]), np.asarray([held.get(c, 0.0) for c in folded]))
        if cache is not None:
            cache[slot] = read
        return read

    def _phrases(self, pair_cols, pair_weights, slots, cache=None):
        """For each slot, the phrases a query (its pair terms' columns ascending and weights, _phrase_weights)
        shares with that listing, as written in it: runs of words whose every adjacent pair is shared ("xử lý
        nước thải", not "xử lý", "lý nước", "nước thải"), most telling first. Every slot's words at once: one
        lookup of the query's weights for all of them. `cache`: a dict keeping listings read (worth it when
        the side is small and read many times)."""
        if not len(slots):
            return []
        reads = [self._read(slot, cache) for slot in slots]
        if not len(pair_cols):
            return [[] for _ in slots]
        exact, folded = np.concatenate([r[1] for r in reads]), np.concatenate([r[2] for r in reads])
        last = len(pair_cols) - 1
        at = np.minimum(np.searchsorted(pair_cols, exact), last)
        step = np.where(pair_cols[at] == exact, pair_weights[at], 0.0) * np.concatenate([r[3] for r in reads])
        at = np.minimum(np.searchsorted(pair_cols, folded), last)
        # A word and the next share (exact pair) + (folded pair): a pair written without diacritics counts twice.
        step = step + np.where(pair_cols[at] == folded, pair_weights[at], 0.0) * np.concatenate([r[4] for r in reads])
        hits = np.flatnonzero(step)
        found = [[] for _ in slots]
        if not len(hits):
            return found
        # Runs of consecutive shared pairs (a sentinel of weight 0 ends each chunk and each listing).
        breaks = np.flatnonzero(np.diff(hits) != 1) + 1
        firsts = np.concatenate([np.zeros(1, dtype=np.int64), breaks])
        lasts = np.concatenate([breaks - 1, [len(hits) - 1]])
        run_weights = np.add.reduceat(step[hits], firsts)
        starts = np.cumsum([0] + [len(r[1]) for r in reads])
        owners = np.searchsorted(starts, hits[firsts], side="right") - 1
        runs = [None] * len(slots)
        for first, last, weight, n in zip(hits[firsts].tolist(), hits[lasts].tolist(), run_weights.tolist(),
                                          owners.tolist()):
            offset = int(starts[n])
            phrase = " ".join(reads[n][0][first - offset:last - offset + 2])
            held = runs[n]
            if held is None:
                held = runs[n] = {}
            if weight > held.get(phrase, 0.0):
                held[phrase] = weight
        for n, held in enumerate(runs):
            if not held:
                continue
            # Weights equal but for the last bits (two pairs of the same frequencies) are a tie: alphabetical.
            best = sorted((-float(f"{weight:.9g}"), phrase) for phrase, weight in held.items())
            kept = []
            for _, phrase in best:  # "nông sản" adds nothing beside "máy sấy nông sản"
                if not any(phrase in longer for longer in kept):
                    kept.append(phrase)
                    if len(kept) == MAX_PHRASES:
                        break
            found[n] = kept
        return found

    # keeping a side on disk

    def save(self, path, stamp=""):
        """Write the index (compacted first) to `path` (.npz), replacing it atomically; `stamp` is stored with it
        and load() returns None unless given the same one (say, a fingerprint of the glossary it was read with)."""
        self.compact()
        main = self._main
        texts = _pack(main.texts)
        versions = _pack(main.versions)
        vocabulary = _pack(self.terms)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as fh:
            np.savez(fh, stamp=np.array(repr((reading_settings(), stamp))), kind=np.array(self.kind or ""),
                     ids=main.ids, indptr=main.tf.indptr, indices=main.tf.indices, data=_snap(main.tf.data),
                     vocabulary=vocabulary[0], vocabulary_ends=vocabulary[1], texts=texts[0], text_ends=texts[1],
                     versions=versions[0], version_ends=versions[1],
                     sector_codes=_pack(_SECTORS.names)[0], sector_ends=_pack(_SECTORS.names)[1],
                     locality_codes=_pack(_LOCALITIES.names)[0], locality_ends=_pack(_LOCALITIES.names)[1],
                     mode_codes=_pack(_MODES.names)[0], mode_ends=_pack(_MODES.names)[1],
                     **{"fact_" + name: main.facts[name] for name in FACTS})
        os.replace(temporary, path)

    @classmethod
    def load(cls, path, stamp=""):
        """The Index saved at `path` with the same stamp and reading settings, or None."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                if str(saved["stamp"]) != repr((reading_settings(), stamp)):
                    return None
                index = cls(kind=str(saved["kind"]) or None)
                index.terms = [sys.intern(t) for t in _unpack(saved["vocabulary"], saved["vocabulary_ends"])]
                index.vocab = {t: n for n, t in enumerate(index.terms)}
                index._df = np.zeros(max(1024, len(index.terms)), dtype=np.int64)
                tf = sparse.csr_matrix((saved["data"], saved["indices"], saved["indptr"]),
                                       shape=(len(saved["ids"]), len(index.terms)))
                facts = []
                for name, table, codes, ends in (("sector", _SECTORS, "sector_codes", "sector_ends"),
                                                 ("group", _SECTORS, "sector_codes", "sector_ends"),
                                                 ("trl", None, None, None), ("price", None, None, None),
                                                 ("modes", _MODES, "mode_codes", "mode_ends"),
                                                 ("locality", _LOCALITIES, "locality_codes", "locality_ends")):
                    values = saved["fact_" + name]
                    if name == "modes":  # bits of this file's forms, as bits of this process's
                        bits = [_mode_mask([code]) for code in _unpack(saved[codes], saved[ends])[1:]]
                        values = np.asarray([sum(b for n, b in enumerate(bits) if int(v) >> n & 1) for v in values]
                                            if len(values) else [], dtype=np.int64)
                    elif table is not None:  # codes numbered by the process that saved the file
                        here = np.asarray([table.id(code) for code in _unpack(saved[codes], saved[ends])],
                                          dtype=np.int64)
                        values = here[values]
                    facts.append(values)
                index._set_main(saved["ids"], tf, facts, _unpack(saved["texts"], saved["text_ends"], decode=False),
                                _unpack(saved["versions"], saved["version_ends"]))
                return index
        except (OSError, KeyError, ValueError, IndexError):
            return None


class _View:
    """The blocks of an Index numbered as one list of slots: main rows first, then the delta's."""

    def __init__(self, blocks):
        self.blocks = blocks
        self.starts = [0] + np.cumsum([len(b) for b in blocks]).tolist()
        self.ids = np.concatenate([b.ids for b in blocks])
        self.alive = np.concatenate([b.alive for b in blocks])
        self.facts = {name: np.concatenate([b.facts[name] for b in blocks]) for name in FACTS}
        self._slot = None

    def slot(self, pid):
        if self._slot is None:
            alive = np.flatnonzero(self.alive)
            self._slot = dict(zip(self.ids[alive].tolist(), alive.tolist()))
        return self._slot.get(pid)

    def where(self, slot):
        """(block, row) of a slot."""
        if slot < self.starts[1]:
            return self.blocks[0], slot
        n = int(np.searchsorted(self.starts, slot, side="right")) - 1
        return self.blocks[n], slot - int(self.starts[n])

    def profile(self, slot, kind):
        """A Profile with the facts and text of a slot (no terms)."""
        block, row = self.where(slot)
        facts = self.facts
        trl, price = int(facts["trl"][slot]), int(facts["price"][slot])
        return Profile(id=int(self.ids[slot]), kind=kind, text=block.texts[row].decode("utf-8"),
                       sector_code=_SECTORS.names[facts["sector"][slot]], trl=trl or None, price_vnd=price or None,
                       modes=_modes_of(facts["modes"][slot]), locality_code=_LOCALITIES.names[facts["locality"][slot]],
                       version=block.versions[row])

    def rows(self, slots):
        """Raw term weights (CSR) of slots (ascending), over the vocabulary's width when they were stored."""
        parts = []
        for n, block in enumerate(self.blocks):
            inside = slots[(slots >= self.starts[n]) & (slots < self.starts[n + 1])] - self.starts[n]
            if len(inside):
                parts.append(_float_rows(block.tf[inside]))
        width = max(p.shape[1] for p in parts)
        return sparse.vstack([_widen(p, width) for p in parts], format="csr")


def _last_of_each(ids):
    """Positions keeping the last of each id, or None when every id is given once."""
    if len(np.unique(ids)) == len(ids):
        return None
    last = {int(pid): n for n, pid in enumerate(ids)}
    return np.asarray(sorted(last.values()), dtype=np.int64)


def _widen(matrix, width):
    """A CSR matrix with `width` columns: cut (columns past `width` dropped) or padded with empty ones."""
    if matrix.shape[1] == width:
        return matrix
    if matrix.shape[1] > width:
        return matrix[:, :width].tocsr()
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))


def _rows_matrix(cols, values, width):
    """A CSR matrix of rows given as (columns, values) arrays."""
    indptr = np.cumsum([0] + [len(c) for c in cols]).astype(np.int64)
    indices = np.concatenate(cols).astype(np.int32) if cols else np.zeros(0, dtype=np.int32)
    data = np.concatenate(values) if values else np.zeros(0)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(cols), width))
    matrix.sort_indices()
    return matrix


def _one_row(cols, weights, width):
    order = np.argsort(cols)
    return sparse.csr_matrix((weights[order], cols[order].astype(np.int32), np.array([0, len(cols)])),
                             shape=(1, width))


def _pool(scores, ids, limit=CANDIDATES):
    """Slots of the best `limit` cosines at least MIN_TEXT (ties: the lower id), in no particular order."""
    pool = np.flatnonzero(scores >= MIN_TEXT)
    if len(pool) > limit:
        values = scores[pool]
        kth = np.partition(values, len(values) - limit)[len(values) - limit]
        above, tied = pool[values > kth], pool[values == kth]
        tied = tied[np.argsort(ids[tied], kind="stable")][:limit - len(above)]
        pool = np.concatenate([above, tied])
    return pool


def _pack(strings):
    """(one UTF-8 byte array, end offsets) of a list of strings (or bytes), for np.savez without pickles."""
    encoded = [s if isinstance(s, bytes) else s.encode("utf-8") for s in strings]
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, dtype=np.uint8)
    return blob, np.cumsum([len(e) for e in encoded], dtype=np.int64)


def _unpack(blob, ends, decode=True):
    data = blob.tobytes()
    starts = [0] + ends.tolist()[:-1]
    if decode:
        return [data[a:b].decode("utf-8") for a, b in zip(starts, ends.tolist())]
    return [data[a:b] for a, b in zip(starts, ends.tolist())]


# --- matching --------------------------------------------------------------------------------------------

def judge(need, offer, text, phrases=()):
    """A Match of a need and an offer whose text similarity is `text` and shared phrases `phrases`."""
    reasons, violations = [], []
    score = 0.0
    if phrases:
        reasons.append(Reason("phrases", {"phrases": phrases}))
    if need.sector_code and offer.sector_code:
        if need.sector_code == offer.sector_code:
            score += SECTOR_WEIGHT
            reasons.append(Reason("sector", {"sector": offer.sector_code}))
        elif need.sector_group == offer.sector_group:
            score += SECTOR_WEIGHT / 2
            reasons.append(Reason("sector_group", {"sector": offer.sector_group}))
    if need.trl and offer.trl:
        if offer.trl >= need.trl:
            score += TRL_WEIGHT
            reasons.append(Reason("trl", {"trl": offer.trl, "min_trl": need.trl}))
        else:
            violations.append(Reason("trl_below", {"trl": offer.trl, "min_trl": need.trl}))
    elif not need.trl:
        score += TRL_WEIGHT / 2
    if need.price_vnd and offer.price_vnd:
        if offer.price_vnd <= need.price_vnd:
            score += PRICE_WEIGHT
            reasons.append(Reason("price", {"price": offer.price_vnd, "budget": need.price_vnd}))
        elif offer.price_vnd > PRICE_FAR * need.price_vnd:
            violations.append(Reason("price_over", {"price": offer.price_vnd, "budget": need.price_vnd}))
        else:
            reasons.append(Reason("price_above", {"price": offer.price_vnd, "budget": need.price_vnd}))
    else:
        score += PRICE_WEIGHT / 2
    if need.modes and offer.modes:
        common = sorted(need.modes & offer.modes)
        if common:
            score += FORMS_WEIGHT
            reasons.append(Reason("forms", {"forms": common}))
        else:
            violations.append(Reason("no_common_form", {"wanted": sorted(need.modes), "offered": sorted(offer.modes)}))
    else:
        score += FORMS_WEIGHT / 2
    if need.locality_code and need.locality_code == offer.locality_code:
        score += LOCALITY_WEIGHT
        reasons.append(Reason("locality", {"locality": need.locality_code}))
    # The facts count only as far as the words say the two are about the same thing: a same-sector offer about
    # something else must not outrank one that answers the need.
    score = TEXT_WEIGHT * min(text / TEXT_FULL, 1.0) + score * min(text / FACTS_FULL, 1.0)
    return Match(need_id=need.id, offer_id=offer.id, score=round(min(score, 1.0), 4), text=round(text, 4),
                 reasons=reasons, violations=violations)


def order(matches):
    """Offers that fit first, then those breaking a constraint; best score first within each."""
    return sorted(matches, key=lambda m: (not m.fits, -m.score, m.need_id, m.offer_id))


def best_offers(need, offers, limit=10, explain=True):
    """The best `limit` Matches of a need among the offers of an Index (with their shared phrases unless
    `explain` is false: add them later with explain())."""
    return _best(need, offers, limit, explain)


def best_needs(offer, needs, limit=10, explain=True):
    """The best `limit` Matches of an offer among the needs of an Index."""
    return _best(offer, needs, limit, explain)


def _best(profile, side, limit, explain):
    cols, weights = side.vector(profile)
    view = side._slots()
    scores = side._scores(_one_row(cols, weights, len(side.terms)))[0]
    found = _judged(profile, dict(zip(FACTS, _facts_of(profile))), view, side.kind, scores, limit)
    if explain:
        _add_phrases(found, side, side._phrase_weights(cols, weights, profile.text), profile.kind)
    return found


def explain(matches, profile, side):
    """Add the shared phrases to Matches of `profile` found in `side` (best_offers/best_needs with
    explain=False), as the first reason; returns the matches."""
    cols, weights = side.vector(profile)
    _add_phrases(matches, side, side._phrase_weights(cols, weights, profile.text), profile.kind)
    return matches


def _judged(profile, facts, view, kind, scores, limit, known=None):
    """Judge the best of the candidates: their scores and fits with numpy, judge() on the `limit` kept (and
    MARGIN more, for rounding), then order(). `known`: a dict keeping the side's Profiles made."""
    pool = _pool(scores, view.ids)
    if not len(pool):
        return []
    others = {name: view.facts[name][pool] for name in FACTS}
    text = scores[pool]
    if profile.kind == "need":
        rounded, fits = facts_scores(facts, others, text)
    else:
        rounded, fits = facts_scores(others, facts, text)
    kept = pool[np.lexsort((view.ids[pool], -rounded, ~fits))[:limit + MARGIN]].tolist()
    if known is None:
        others = [view.profile(slot, kind) for slot in kept]
    else:
        others = [known.get(slot) or known.setdefault(slot, view.profile(slot, kind)) for slot in kept]
    if profile.kind == "need":
        matches = [judge(profile, other, float(scores[slot])) for slot, other in zip(kept, others)]
    else:
        matches = [judge(other, profile, float(scores[slot])) for slot, other in zip(kept, others)]
    return order(matches)[:limit]


def _add_phrases(matches, side, pair_weights, kind, cache=None):
    """The shared phrases of each match, as its first reason. `pair_weights`: the query's (_phrase_weights);
    `cache`: see Index._phrases."""
    view = side._slots()
    slots = [view.slot(m.offer_id if kind == "need" else m.need_id) for m in matches]
    for match, phrases in zip(matches, side._phrases(*pair_weights, slots, cache)):
        if phrases:
            match.reasons.insert(0, Reason("phrases", {"phrases": phrases}))


def best_all(queries, side, limit=10, skip=None, explain=True, block=BLOCK):
    """Yield (id, [Match]) for every listing of the Index `queries` against the Index `side` (needs against
    offers, or offers against needs), as best_offers/best_needs would give them: the queries' unit vectors (with
    the side's idf) times the side's postings, `block` listings at a time (fewer when the side is large, so
    that a block holds at most BLOCK_CELLS scores). Matches of a (need id, offer id) pair in `skip` keep their
    rank but are neither explained nor yielded."""
    qview, sview = queries._slots(), side._slots()
    slots = np.flatnonzero(qview.alive)
    if not len(slots):
        return
    remap = np.full(max(len(queries.terms), 1), -1, dtype=np.int64)
    vocab = side.vocab
    for col, term in enumerate(queries.terms):
        remap[col] = vocab.get(term, -1)
    idf = side._idf_all()
    rows = max(1, min(block, BLOCK_CELLS // max(len(sview.ids), 1)))
    small = len(sview.ids) <= 20_000  # then each listing of the side is read once for phrases and judge()
    chunks, known = ({}, {}) if small else (None, None)
    for start in range(0, len(slots), rows):
        part = slots[start:start + rows]
        raw = qview.rows(part)
        cols = remap[raw.indices]
        shared = cols >= 0  # terms the side uses
        row_of = np.repeat(np.arange(len(part)), np.diff(raw.indptr))[shared]
        raw = sparse.csr_matrix((_raw(raw.data[shared]), (row_of, cols[shared])), shape=(len(part), len(side.terms)))
        units = _unit_rows(raw, idf)
        scores = side._scores(units) if side.size else np.zeros((len(part), len(sview.ids)))
        for i, slot in enumerate(part.tolist()):
            profile = qview.profile(slot, queries.kind)
            facts = {name: int(qview.facts[name][slot]) for name in FACTS}
            found = _judged(profile, facts, sview, side.kind, scores[i], limit, known)
            if skip:
                found = [m for m in found if (m.need_id, m.offer_id) not in skip]
            if explain and found:
                a, b = units.indptr[i], units.indptr[i + 1]
                _add_phrases(found, side, side._phrase_weights(units.indices[a:b].astype(np.int64), units.data[a:b],
                                                               profile.text), profile.kind, chunks)
            yield profile.id, found

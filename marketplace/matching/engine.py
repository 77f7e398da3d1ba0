"""How well an offer answers a need: the words they share and the facts a deal turns on. Pure computation over
Profiles (no database: services.py builds them from listings, bench/ from generated rows).

Text. A listing's public text (title twice, summary, keywords; never the confidential detail, whose words would
show in the reasons) is read as search reads a query: NFC, lower case, each word as written and folded (đ→d;
at FOLDED_SHARE, so "phần mềm" and "phàn nàn" barely meet), question and filler words left out, adjacent syllables as pairs ("máy sấy" is one term "may_say" besides "may" and "say"), and the
glossary's and abbreviations' expansions added at half weight, so a farmer's "mùi hôi ở trại gà" meets an offer
of "chế phẩm khử mùi" and "XLNT" meets "xử lý nước thải". Terms are weighted TF-IDF (1 + log tf) × log(N / df)
over the listings being matched against, and compared by cosine. Pairs count double: two listings sharing "máy
sấy" and "nông sản" share more than two listings sharing "máy" and "sản".

Candidates. An inverted index of the other side (term → listings and weights) gives every listing that shares a
term with the one matched; terms in more than COMMON_SHARE of the listings are skipped there (their idf is
near zero and their postings are long). The best CANDIDATES by text are then scored in full.

Score (0..1): text similarity (TEXT_WEIGHT, reaching full weight at cosine TEXT_FULL), sector (same code, or
the same field group for half), TRL at or above the need's minimum, price within budget, a transfer form in
common, the same locality; the facts count in full only from a cosine of FACTS_FULL (below, in proportion). Hard constraints broken (TRL below the minimum, no transfer form in common, price
over PRICE_FAR × the budget) are violations: such an offer ranks below every offer that fits, whatever its score,
and says why; it is never dropped.
"""
import heapq
import math
import sys
from dataclasses import dataclass, field

from marketplace.search.analysis import FILLER_WORDS, fold_word, words

TITLE_REPEAT = 2
EXPANSION_WEIGHT = 0.5
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


def make_profile(id, kind, title="", summary="", keywords="", expansions=(), **facts):
    """A Profile from a listing's public text and facts; `expansions` are the glossary's and abbreviations'
    phrases (lists of words) found in that text."""
    profile = Profile(id=id, kind=kind, text="\n".join(v for v in (title, summary, keywords) if v), **facts)
    for text, repeat in ((title, TITLE_REPEAT), (summary, 1), (keywords, 1)):
        for _ in range(repeat):
            _add_text(profile, text, 1.0)
    for phrase in expansions:
        _add_words(profile, [w for w in phrase], EXPANSION_WEIGHT)
    return profile


def _add_text(profile, text, weight):
    # Runs of words between punctuation: a pair never spans a comma or a full stop.
    for chunk in _chunks(text):
        _add_words(profile, chunk, weight)


def _chunks(text):
    import re

    return [words(part) for part in re.split(r"[,.;:!?()\[\]/|\n]+", text or "") if part.strip()]


def _content(chunk):
    """(word as written, folded) of the words that carry meaning: no fillers, no single letters, no numbers."""
    kept = [(w, fold_word(w)) for w in chunk]
    return [(w, f) for w, f in kept if len(f) > 1 and not f.isdigit() and f not in FILLER_WORDS]


def _add_words(profile, chunk, weight):
    terms = profile.terms
    kept = _content(chunk)
    for word, folded in kept:
        _add(terms, word, folded, weight)
    for (a, fa), (b, fb) in zip(kept, kept[1:]):
        _add(terms, a + "_" + b, fa + "_" + fb, weight * PAIR_WEIGHT)


def _add(terms, exact, folded, weight):
    """A word or pair as written, and folded at FOLDED_SHARE: "phần" (mềm) and "phàn" (nàn) differ, though a text
    typed without diacritics still meets them a little. Terms are interned: the same syllables and pairs recur
    in thousands of listings, and one string each keeps an index of 100,000 listings in memory."""
    exact, folded = _intern(exact), _intern(folded)
    if exact == folded:
        terms[folded] = terms.get(folded, 0.0) + weight
    else:
        terms[exact] = terms.get(exact, 0.0) + weight
        terms[folded] = terms.get(folded, 0.0) + weight * FOLDED_SHARE


def _intern(term):
    return sys.intern(term)


class Index:
    """The listings of one side (offers, or needs) ready to be matched against: idf, unit vectors, postings."""

    def __init__(self, profiles):
        self.profiles = {p.id: p for p in profiles}
        self.size = len(self.profiles)
        df = {}
        for p in self.profiles.values():
            for term in p.terms:
                df[term] = df.get(term, 0) + 1
        self.df = df
        self.postings = {}  # term -> {id: weight of the term in that listing's unit vector}
        for profile in self.profiles.values():
            self._post(profile.id, self.vector(profile))

    def _post(self, pid, vector):
        limit = max(COMMON_SHARE * self.size, 50)
        for term, w in vector.items():
            if self.df[term] <= limit:
                self.postings.setdefault(term, {})[pid] = w

    def remove(self, pid):
        """Take a listing out (withdrawn, edited)."""
        profile = self.profiles.pop(pid, None)
        if profile is None:
            return
        for term in profile.terms:
            self.postings.get(term, {}).pop(pid, None)
            self.df[term] -= 1
        self.size -= 1

    def add(self, profile):
        """Put a listing in (published, edited). The other listings keep the idf they were weighed with until
        the next rebuild; one listing moves it very little."""
        self.remove(profile.id)
        self.profiles[profile.id] = profile
        self.size += 1
        for term in profile.terms:
            self.df[term] = self.df.get(term, 0) + 1
        self._post(profile.id, self.vector(profile))

    def idf(self, term):
        """log(N / df), 0 for a term this side never uses (it cannot be shared)."""
        n = self.df.get(term, 0)
        return math.log((self.size + 1) / n) if n else 0.0

    def vector(self, profile):
        """A unit TF-IDF vector {term: weight} of a profile, with this side's idf."""
        vector = {}
        for term, tf in profile.terms.items():
            idf = self.idf(term)
            if idf > 0 and tf > 0:
                vector[term] = (1 + math.log(tf)) * idf if tf >= 1 else tf * idf
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {t: w / norm for t, w in vector.items()}

    def similar(self, profile, limit=CANDIDATES, vector=None):
        """[(id, cosine)] of the listings sharing most with `profile` (read with this side's idf), best first."""
        scores = {}
        get = scores.get
        for term, w in (vector or self.vector(profile)).items():
            for pid, pw in self.postings.get(term, {}).items():
                scores[pid] = get(pid, 0.0) + w * pw
        return heapq.nlargest(limit, ((pid, s) for pid, s in scores.items() if s >= MIN_TEXT),
                              key=lambda item: (item[1], -item[0]))

    def shared_phrases(self, a, b, va=None):
        """The phrases both profiles hold, as written in `b`: runs of words whose every adjacent pair is shared
        ("xử lý nước thải", not "xử lý", "lý nước", "nước thải"), most telling first."""
        va, vb = va or self.vector(a), self.vector(b)
        shared = {t: va[t] * vb[t] for t in va.keys() & vb.keys() if "_" in t}
        runs = {}
        for chunk in _chunks(b.text):
            kept = _content(chunk)
            run, weight = [], 0.0
            for (word, folded), (nxt, nfolded) in zip(kept + [("", "")], kept[1:] + [("", "")]):
                pair = shared.get(word + "_" + nxt, 0.0) + shared.get(folded + "_" + nfolded, 0.0)
                if pair:
                    run = run or [word]
                    run.append(nxt)
                    weight += pair
                elif run:
                    phrase = " ".join(run)
                    runs[phrase] = max(runs.get(phrase, 0.0), weight)
                    run, weight = [], 0.0
        best = sorted(runs.items(), key=lambda kv: (-kv[1], kv[0]))
        found = []
        for phrase, _ in best:  # "nông sản" adds nothing beside "máy sấy nông sản"
            if not any(phrase in longer for longer in found):
                found.append(phrase)
        return found[:MAX_PHRASES]


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


def best_offers(need, offers, limit=10):
    """The best `limit` Matches of a need among the offers of an Index."""
    return _best(need, offers, limit, lambda other, text: judge(need, other, text, ()))


def best_needs(offer, needs, limit=10):
    """The best `limit` Matches of an offer among the needs of an Index."""
    return _best(offer, needs, limit, lambda other, text: judge(other, offer, text, ()))


def _best(profile, side, limit, judged):
    """Judge the candidates, keep the best `limit`, then find the phrases shown for those only."""
    vector = side.vector(profile)
    found = order([judged(side.profiles[pid], text) for pid, text in side.similar(profile, vector=vector)])[:limit]
    for match in found:
        other = side.profiles[match.offer_id if profile.kind == "need" else match.need_id]
        phrases = side.shared_phrases(profile, other, va=vector)
        if phrases:
            match.reasons.insert(0, Reason("phrases", {"phrases": phrases}))
    return found

"""The reference computation the sparse engine must agree with: matching as it was first written, in plain
Python dicts (postings term -> {id: weight}, a cosine summed term by term, every candidate judged, phrases
from both unit vectors, words side by side only). Slow, obvious, and only used by the tests."""
import heapq
import math

from marketplace.matching import engine


class ReferenceIndex:
    """One side's listings as unit TF-IDF dict vectors and postings."""

    def __init__(self, profiles):
        self.profiles = {p.id: p for p in profiles}
        self.size = len(self.profiles)
        self.df = {}
        for p in self.profiles.values():
            for term in p.terms:
                self.df[term] = self.df.get(term, 0) + 1
        self.vectors = {pid: self.vector(p) for pid, p in self.profiles.items()}

    def idf(self, term):
        n = self.df.get(term, 0)
        return math.log((self.size + 1) / n) if n else 0.0

    def vector(self, profile):
        vector = {}
        for term, tf in profile.terms.items():
            idf = self.idf(term)
            if idf > 0 and tf > 0:
                vector[term] = (1 + math.log(tf)) * idf if tf >= 1 else tf * idf
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {t: w / norm for t, w in vector.items()}

    def similar(self, profile, limit=engine.CANDIDATES):
        common = max(engine.COMMON_SHARE * self.size, 50)
        query = self.vector(profile)
        scores = {}
        for pid, vector in self.vectors.items():
            score = sum(w * vector.get(t, 0.0) for t, w in query.items() if self.df[t] <= common)
            if score >= engine.MIN_TEXT:
                scores[pid] = score
        return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))

    def shared_phrases(self, a, b):
        va, vb = self.vector(a), self.vectors[b.id]
        # only pairs `a` writes side by side: not across words left out, nor those of its glossary expansions
        together = set()
        for chunk in engine._chunks(a.text):
            kept = content_words(chunk)
            for (n, word, folded), (m, nxt, nfolded) in zip(kept, kept[1:]):
                if m == n + 1:
                    together.update((word + "_" + nxt, folded + "_" + nfolded))
        shared = {t: va[t] * vb[t] for t in va.keys() & vb.keys() if "_" in t and t in together}
        runs = {}
        for chunk in engine._chunks(b.text):
            kept = content_words(chunk)
            run, weight = [], 0.0
            for (n, word, folded), (m, nxt, nfolded) in zip(kept + [(-9, "", "")], kept[1:] + [(-9, "", "")]):
                pair = 0.0 if m != n + 1 else shared.get(word + "_" + nxt, 0.0) + shared.get(folded + "_" + nfolded, 0.0)
                if pair:
                    run = run or [word]
                    run.append(nxt)
                    weight += pair
                elif run:
                    phrase = " ".join(run)
                    runs[phrase] = max(runs.get(phrase, 0.0), weight)
                    run, weight = [], 0.0
        found = []
        for phrase, _ in sorted(runs.items(), key=lambda kv: (-float(f"{kv[1]:.9g}"), kv[0])):
            if not any(phrase in longer for longer in found):
                found.append(phrase)
        return found[:engine.MAX_PHRASES]


def content_words(chunk):
    """(position in the chunk, word, folded) of the words of a chunk that carry meaning."""
    return [(n, *kept[0]) for n, word in enumerate(chunk) if (kept := engine._content([word]))]


def best(profile, side, limit=10):
    """The best `limit` Matches of a profile among a ReferenceIndex, with their phrases."""
    judged = []
    for pid, text in side.similar(profile):
        other = side.profiles[pid]
        judged.append(engine.judge(profile, other, text) if profile.kind == "need"
                      else engine.judge(other, profile, text))
    found = engine.order(judged)[:limit]
    for match in found:
        other = side.profiles[match.offer_id if profile.kind == "need" else match.need_id]
        phrases = side.shared_phrases(profile, other)
        if phrases:
            match.reasons.insert(0, engine.Reason("phrases", {"phrases": phrases}))
    return found

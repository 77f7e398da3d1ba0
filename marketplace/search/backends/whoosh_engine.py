"""Answering a search from a Whoosh index's segments with sets and bit masks instead of Whoosh's matcher tree.

Whoosh's own search walks a tree of matchers, a few microseconds per document for each word of each field, and
its facet grouping visits every match again: at 20,000 listings a broad question took over a second. Here

- each segment's posting lists (documents and term frequencies) are read once, block by block, and kept with a
  bit mask of their documents (a Python integer); segments never change once written, only their deletions, so
  a searcher reopened after an edit reads only the new, small segment;
- what matches is set algebra on masks (or, and), the total and every facet count are popcounts of the match
  mask and a value's mask;
- only the matches are scored, with Whoosh's BM25F formula and statistics (B 0.75, K1 1.2, its idf and average
  field lengths, the stored length byte of each field), so the ranking is the one Whoosh's search gave.

It reads the postings of whoosh-reloaded 2.7.5's W3 codec a block at a time (the version requirements.txt pins);
any other matcher is read a posting at a time.

Callers hold the backend's per-process searcher lock, so nothing here is shared between threads at once.
"""
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field

B = 0.75
K1 = 1.2
# Posting lists kept per process, counted in postings (a 20,000-listing index holds ~4 million).
POSTINGS_BUDGET = 6_000_000
# Look a match up in a posting list (bisect) instead of walking the list when the list is this much longer.
LOOKUP_RATIO = 12

_BITS = tuple(tuple(i for i in range(8) if byte >> i & 1) for byte in range(256))


def _byte_to_length_table():
    from whoosh.util.numeric import byte_to_length

    return [byte_to_length(b) for b in range(256)]


LENGTHS = _byte_to_length_table()


def mask_of(ids, offset=0):
    """A bit mask (int) with the bits of `ids` (plus offset) set."""
    ids = list(ids)
    if not ids:
        return 0
    top = max(ids) + offset
    buf = bytearray((top >> 3) + 1)
    for d in ids:
        d += offset
        buf[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buf, "little")


def members(mask):
    """The set bits of a mask, ascending."""
    out = []
    if mask <= 0:
        return out
    for i, byte in enumerate(mask.to_bytes((mask.bit_length() + 7) >> 3, "little")):
        if byte:
            base = i << 3
            out.extend([base + j for j in _BITS[byte]])
    return out


@dataclass
class Clause:
    """A word or a pair: the (field, text, boost) terms that score it; a document matches it when it holds any."""

    terms: list
    key: tuple = field(default=())


class SegmentData:
    """What searches need from one segment, read once: columns, field lengths, posting lists and masks."""

    def __init__(self, doccount):
        self.doccount = doccount
        self.columns = {}  # name -> list of values by document
        self.value_masks = {}  # name -> {value: mask}
        self.lengths = {}  # field -> bytes: the stored length byte of each document's field
        self.postings = OrderedDict()  # (field, text) -> (ids, tfs, mask), least recently used first
        self.size = 0  # postings held
        self.vocabulary = None  # {word: document frequency} once asked

    def column(self, reader, name):
        """The values of a column field, by document (strings for IDs, numbers for numeric fields)."""
        if name not in self.columns:
            values = list(reader.column_reader(name)) if reader.has_column(name) else []
            self.columns[name] = values + [None] * (self.doccount - len(values))
        return self.columns[name]

    def masks(self, reader, name):
        """{value: mask} of a column field."""
        if name not in self.value_masks:
            groups = {}
            for doc, value in enumerate(self.column(reader, name)):
                groups.setdefault(value, []).append(doc)
            self.value_masks[name] = {value: mask_of(docs) for value, docs in groups.items()}
        return self.value_masks[name]

    def words(self, reader, names):
        """{word: document frequency in its most common field} over the given text fields of this segment."""
        if self.vocabulary is None:
            vocab = {}
            for name in names:
                for term, info in reader.iter_field(name):
                    word = term.decode("utf-8") if isinstance(term, bytes) else term
                    n = info.doc_frequency()
                    if n > vocab.get(word, 0):
                        vocab[word] = n
            self.vocabulary = vocab
        return self.vocabulary

    def field_lengths(self, reader, name):
        """The length byte of a text field for every document."""
        if name not in self.lengths:
            self.lengths[name] = _length_bytes(reader, name, self.doccount)
        return self.lengths[name]

    def posting(self, reader, name, text):
        """(ids, term frequencies, mask) of a term in this segment; empty when absent."""
        key = (name, text)
        hit = self.postings.get(key)
        if hit is not None:
            self.postings.move_to_end(key)
            return hit
        ids, tfs = _read_postings(reader, name, text)
        hit = (ids, tfs, mask_of(ids))
        self.postings[key] = hit
        self.size += self._cost(ids)
        return hit

    def _cost(self, ids):
        """What a kept posting list costs, in postings (8 bytes each); its mask is doccount / 8 bytes."""
        return len(ids) + self.doccount // 64 + 1

    def trim(self, budget):
        """Forget the least recently used posting lists beyond the budget."""
        while self.size > budget and self.postings:
            _, (ids, _, _) = self.postings.popitem(last=False)
            self.size -= self._cost(ids)


def _length_bytes(reader, name, doccount):
    """The W3 codec keeps one length byte per document in a column; read it whole (one file read)."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
        if column is None:
            return bytes(doccount)
        raw = bytes(column._dbfile.get(column._basepos, column._count)) if column._count else b""
        return raw[:doccount].ljust(doccount, b"\0")
    except (AttributeError, ImportError, TypeError):  # another codec: ask document by document
        from whoosh.util.numeric import length_to_byte  # pragma: no cover

        return bytes(length_to_byte(reader.doc_field_length(d, name, 0) or 0) for d in range(doccount))


def _read_postings(reader, name, text):
    """(array of document numbers, array of term frequencies) of a term in one segment, deletions included."""
    from array import array

    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher
    from whoosh.reading import TermNotFound

    ids, tfs = array("I"), array("f")
    try:
        matcher = reader.postings(name, text)
    except TermNotFound:
        return ids, tfs
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are taken away by the searcher's live mask
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            tfs.extend(matcher._weights)
            matcher._next_block()
        return ids, tfs
    while matcher.is_active():  # pragma: no cover - another codec
        ids.append(matcher.id())
        tfs.append(matcher.weight())
        matcher.next()
    return ids, tfs


class Segments:
    """The segments of one index, by id, kept across searchers of the same build."""

    def __init__(self):
        self.by_id = {}

    def view(self, searcher):
        """A SearcherView over the searcher's segments; forgets the segments it no longer has."""
        leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = getattr(reader, "_segment", None)
            seg_id = segment.segment_id() if segment is not None else id(reader)
            data = self.by_id.get(seg_id)
            if data is None:
                data = self.by_id[seg_id] = SegmentData(reader.doc_count_all())
            leaves.append((reader, offset, data))
        current = {id(d) for _, _, d in leaves}
        self.by_id = {k: d for k, d in self.by_id.items() if id(d) in current}
        return SearcherView(searcher, leaves)

    def trim(self):
        """Keep the posting lists within the budget, shared between segments by size."""
        total = sum(d.doccount for d in self.by_id.values()) or 1
        for data in self.by_id.values():
            data.trim(POSTINGS_BUDGET * data.doccount // total)


class SearcherView:
    """One searcher's segments and what is derived from them for every search (the live mask, facet masks)."""

    def __init__(self, searcher, leaves):
        self.searcher = searcher
        self.leaves = leaves
        self.doc_count_all = searcher.doc_count_all()
        live = (1 << self.doc_count_all) - 1
        for reader, offset, _ in leaves:
            if reader.has_deletions():
                live &= ~mask_of(reader.deleted_docs_set, offset)
        self.live = live
        self._value_masks = {}
        self._values = {}
        self._newest = None
        self._norms = {}

    # --- masks ------------------------------------------------------------------------------------------

    def term_mask(self, name, text):
        """The documents holding a term (deleted ones included)."""
        mask = 0
        for reader, offset, data in self.leaves:
            part = data.posting(reader, name, text)[2]
            if part:
                mask |= part << offset
        return mask

    def value_masks(self, name):
        """{value: mask} of a single-valued facet column."""
        if name not in self._value_masks:
            merged = {}
            for reader, offset, data in self.leaves:
                for value, mask in data.masks(reader, name).items():
                    merged[value] = merged.get(value, 0) | (mask << offset)
            self._value_masks[name] = merged
        return self._value_masks[name]

    def values(self, name):
        """A column's value for every document number."""
        if name not in self._values:
            merged = []
            for reader, _, data in self.leaves:
                merged.extend(data.column(reader, name))
            self._values[name] = merged
        return self._values[name]

    def vocabulary(self, names):
        """{word: document count} over the text fields: each segment's words are read once and kept, so after an
        edit only the new segment is read (counts of a word in several fields take its most common one)."""
        merged = None
        for reader, _, data in self.leaves:
            words = data.words(reader, names)
            if merged is None:
                merged = dict(words)
            else:
                for word, n in words.items():
                    merged[word] = merged.get(word, 0) + n
        return merged or {}

    def keyword_values(self, name):
        """The values of a keyword field (transfer forms), from its lexicon."""
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.searcher.lexicon(name)]

    def clause_mask(self, clause):
        """Documents holding any term of a clause."""
        mask = 0
        for name, text, _ in clause.terms:
            mask |= self.term_mask(name, text)
        return mask

    # --- scoring ----------------------------------------------------------------------------------------

    def _norm_table(self, name):
        """For each length byte, K1 * (1 - B + B * length / average length) of a field (BM25F's denominator)."""
        if name not in self._norms:
            avg = self.searcher.avg_field_length(name) or 1
            self._norms[name] = [K1 * ((1 - B) + B * length / avg) for length in LENGTHS]
        return self._norms[name]

    def add_scores(self, scores, clause, docs_by_leaf):
        """Add a clause's BM25F score to `scores` ({docnum: score}) for the documents of `docs_by_leaf`."""
        for name, text, boost in clause.terms:
            factor = table = None
            for (reader, offset, data), docs in zip(self.leaves, docs_by_leaf):
                if not docs:
                    continue
                ids, tfs, _ = data.posting(reader, name, text)
                if not ids:
                    continue
                if factor is None:  # only for a term the index holds (its idf needs a document frequency)
                    factor = self.searcher.idf(name, text) * (K1 + 1) * boost
                    table = self._norm_table(name)
                lengths = data.field_lengths(reader, name)
                get = scores.get
                if len(ids) > LOOKUP_RATIO * len(docs):
                    end = len(ids)
                    for local in docs:
                        i = bisect_left(ids, local)
                        if i < end and ids[i] == local:
                            tf = tfs[i]
                            doc = local + offset
                            scores[doc] = get(doc, 0.0) + factor * tf / (tf + table[lengths[local]])
                else:
                    wanted = docs if isinstance(docs, set) else set(docs)
                    for local, tf in zip(ids, tfs):
                        if local in wanted:
                            doc = local + offset
                            scores[doc] = get(doc, 0.0) + factor * tf / (tf + table[lengths[local]])

    def split(self, mask):
        """The set bits of a mask as local document numbers, per segment (ascending)."""
        out = []
        for _, offset, data in self.leaves:
            part = (mask >> offset) & ((1 << data.doccount) - 1)
            out.append(members(part))
        return out

    # --- ordering ---------------------------------------------------------------------------------------

    def newest_rank(self):
        """For each document number, its place when the newest publication comes first (ties: lower number)."""
        if self._newest is None:
            stamped = []
            for reader, offset, data in self.leaves:
                times = data.column(reader, "ts")
                stamped.extend((-(t or 0), offset + d) for d, t in enumerate(times))
            stamped.sort()
            rank = [0] * self.doc_count_all
            for place, (_, doc) in enumerate(stamped):
                rank[doc] = place
            self._newest = rank
        return self._newest


def best(scores, count):
    """The `count` best documents of {docnum: score}: highest score first, then lower document number."""
    import heapq

    return heapq.nsmallest(count, scores.items(), key=lambda item: (-item[1], item[0]))

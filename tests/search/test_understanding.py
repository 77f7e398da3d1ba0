"""Reading Vietnamese queries: Telex, run-together words, abbreviations, glossary, spelling; the shipped data."""
import csv
import random
import unicodedata
from collections import Counter

import pytest

from marketplace.search.understanding import (
    ABBREVIATIONS_FILE,
    GLOSSARY_FILE,
    SYMPTOMS_FILE,
    Glossary,
    Note,
    Reading,
    Vocabulary,
    could_be_syllable,
    decode_telex,
    is_syllable,
    load_abbreviations,
    load_glossary,
    read_query,
    split_run_together,
    tokenize,
)

# Listing text the small vocabularies below are built from, as the search index would see it.
LISTINGS = [
    "Máy cấy lúa mạ khay 4 hàng cỡ nhỏ cho ruộng manh mún",
    "Công nghệ xử lý nước thải làng nghề dệt nhuộm bằng keo tụ điện hóa",
    "Chế phẩm sinh học xử lý mùi hôi chuồng trại chăn nuôi, khử mùi",
    "Đệm lót sinh học cho trại gà",
    "Máy sấy nông sản kết hợp năng lượng mặt trời và bơm nhiệt",
    "Hệ thống tưới nhỏ giọt thông minh điều khiển qua điện thoại",
    "Phân bón hữu cơ vi sinh từ rơm rạ",
    "Đường giao thông nội đồng, an toàn thực phẩm, hợp tác xã",
    "Thiết bị cảnh báo thiếu ô-xy cho ao nuôi cá",
    "Hòa mạng điện, thủy lợi, người dân, khuyến nông, quý, giếng, giọt, việt, tư vấn",
    "Chế phẩm nấm Trichoderma phòng bệnh thối rễ",
    "Cá trê, cá rô phi",
]


def vocabulary_of(texts, extra=None):
    """{word: documents} with the accented and the folded form of every word, as the search index builds it."""
    counts = Counter()
    for text in texts:
        words = set(tokenize(text))
        counts.update(words | {_folded(word) for word in words})
    counts.update(extra or {})
    return dict(counts)


def _folded(word):
    """A word without diacritics (đ as d)."""
    word = word.replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn")


@pytest.fixture(scope="module")
def vocab():
    """A small realistic vocabulary."""
    return vocabulary_of(LISTINGS)


@pytest.fixture(scope="module")
def shipped():
    """The shipped glossary and abbreviations."""
    return load_glossary(), load_abbreviations()


def folded_words(reading):
    """The reading's words without diacritics."""
    return [_folded(word) for word in reading.words]


# --- tokens --------------------------------------------------------------------------------------------

def test_tokenize_lowercases_composes_and_drops_punctuation():
    decomposed = unicodedata.normalize("NFD", "Máy_cấy, LÚA! (4 hàng)")
    assert tokenize(decomposed) == ["máy", "cấy", "lúa", "4", "hàng"]


def test_the_same_query_typed_three_ways_reads_the_same(vocab):
    readings = [read_query(q, vocab) for q in ("may cay lua", "máy cấy lúa", "MÁY CẤY LÚA")]
    assert {tuple(folded_words(r)) for r in readings} == {("may", "cay", "lua")}
    assert read_query("MÁY CẤY LÚA", vocab).words == ["máy", "cấy", "lúa"]
    assert all(r.notes == [] and r.expansions == [] and r.suggestion is None for r in readings)


def test_text_is_normalised(vocab):
    reading = read_query("  máy\u200b  cấy\tlúa \x00", vocab)
    assert reading.text == "máy cấy lúa"


# --- Telex ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, spellings", [
    ("coong", ["công"]),
    ("ngheej", ["nghệ"]),
    ("mays", ["máy"]),
    ("maays", ["mấy"]),  # aa is â in Telex: "máy" is typed "mays"
    ("saays", ["sấy"]),
    ("dduwowngf", ["đường"]),
    ("nuwowcs", ["nước"]),
    ("thair", ["thải"]),
    ("nguowif", ["người"]),
    ("khuyeens", ["khuyến"]),
    ("quys", ["quý"]),
    ("gieengs", ["giếng"]),
    ("giotj", ["giọt"]),
    ("vieetj", ["việt"]),
    ("thuowr", ["thuở"]),
    ("duongw", ["dương"]),  # w typed at the end
    ("tw", ["tư"]),
    ("nhwngx", ["những"]),
    ("hoaf", ["hòa", "hoà"]),  # usual style first, the newer one second
    ("thuyr", ["thủy", "thuỷ"]),
])
def test_telex_decodes_to_the_right_letters_and_tone_place(typed, spellings):
    assert decode_telex(typed) == spellings


@pytest.mark.parametrize("word", ["drip", "fish", "feed", "solar", "dress", "sensor", "water", "nam", "tapp", "thucf"])
def test_telex_leaves_english_and_impossible_syllables_alone(word):
    assert decode_telex(word) == []


def test_telex_query_is_read_with_one_note_per_run(vocab):
    reading = read_query("coong ngheej xuwr lys nuwowcs thair", vocab)
    assert reading.words == ["công", "nghệ", "xử", "lý", "nước", "thải"]
    assert reading.notes == [Note("telex", "coong ngheej xuwr lys nuwowcs thair", "công nghệ xử lý nước thải")]


def test_telex_notes_are_split_by_words_typed_normally(vocab):
    reading = read_query("mays cấy luas", vocab)
    assert reading.words == ["máy", "cấy", "lúa"]
    assert [note.source for note in reading.notes] == ["mays", "luas"]


@pytest.mark.parametrize("typed, read", [
    ("mays saays", ["máy", "sấy"]),
    ("dduwowngf", ["đường"]),
    ("nuwowcs thair", ["nước", "thải"]),
])
def test_issue_examples_of_telex(vocab, typed, read):
    assert read_query(typed, vocab).words == read


def test_telex_only_gives_words_the_index_knows():
    vocab = vocabulary_of(["công nghệ"])
    assert read_query("coong mays", vocab).words == ["công", "mays"]


def test_a_word_the_index_knows_is_never_decoded():
    vocab = vocabulary_of(["cos hiệu quả"])  # "cos" is in the index, so it is not "có"
    assert read_query("cos", vocab).words == ["cos"]


def test_telex_takes_the_tone_style_the_index_uses():
    assert read_query("hoaf", vocabulary_of(["hòa mạng"])).words == ["hòa"]
    assert read_query("hoaf", vocabulary_of(["hoà mạng"])).words == ["hoà"]


def test_telex_accepts_a_folded_match_only_in_an_index_without_diacritics():
    assert read_query("trees", vocabulary_of(["cá trê"])).words == ["trees"]  # "trế" is not in the index
    assert read_query("trees", {"tre": 3}).words == ["trế"]


def test_english_words_are_not_mangled(vocab, shipped):
    glossary, abbreviations = shipped
    reading = read_query("solar dryer fish feed drip", vocab, glossary, abbreviations)
    assert reading.words == ["solar", "dryer", "fish", "feed", "drip"]
    assert not any(note.kind in ("telex", "split", "spelling") for note in reading.notes)


def test_english_words_of_the_glossary_are_not_telex(vocab):
    glossary = [("fruit tree", "cây ăn quả")]
    assert read_query("tree", vocab).words == ["trê"]  # with no glossary it may well be Telex
    assert read_query("tree", vocab, glossary).words == ["tree"]


# --- run-together words --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, read", [
    ("maycaylua", ["may", "cay", "lua"]),
    ("xulynuocthai", ["xu", "ly", "nuoc", "thai"]),
    ("máysấy", ["máy", "sấy"]),
    ("phanbonhuuco", ["phan", "bon", "huu", "co"]),
])
def test_run_together_words_are_split(vocab, typed, read):
    reading = read_query(typed, vocab)
    assert reading.words == read
    assert reading.notes == [Note("split", typed, " ".join(read))]


def test_split_prefers_fewer_pieces_then_frequent_ones():
    vocab = {"an": 5, "toan": 5, "to": 50}
    assert split_run_together("antoan", vocab) == ["an", "toan"]  # not "an to an"
    assert split_run_together("canhan", {"can": 50, "han": 50, "ca": 2, "nhan": 2}) == ["can", "han"]
    assert split_run_together("canhan", {"can": 2, "han": 2, "ca": 50, "nhan": 50}) == ["ca", "nhan"]


def test_split_skips_known_short_and_unsplittable_words(vocab):
    assert read_query("nuôi", vocab).notes == []
    assert read_query("caya", vocab).words == ["caya"]
    assert split_run_together("zzzz", vocab) is None


def test_a_short_typo_is_corrected_rather_than_split():
    vocab = vocabulary_of(["nước thải", "nữ", "cô"])
    reading = read_query("nuco thai", vocab)
    assert reading.words == ["nuco", "thai"]
    assert reading.corrections == {"nuco": "nuoc"}


# --- abbreviations -------------------------------------------------------------------------------------

def test_abbreviation_expands_and_stays_as_typed(vocab, shipped):
    glossary, abbreviations = shipped
    reading = read_query("ATTP", vocab, glossary, abbreviations)
    assert reading.words == ["attp"]
    assert ["an", "toàn", "thực", "phẩm"] in reading.expansions
    assert Note("abbreviation", "ATTP", "an toàn thực phẩm") in reading.notes
    assert reading.corrections == {}


@pytest.mark.parametrize("typed", ["KH&CN", "khcn", "KH-CN", "Sở KH&CN"])
def test_abbreviation_written_in_parts(vocab, shipped, typed):
    glossary, abbreviations = shipped
    reading = read_query(typed, vocab, glossary, abbreviations)
    assert ["khoa", "học", "và", "công", "nghệ"] in reading.expansions
    assert [note.source for note in reading.notes if note.kind == "abbreviation"] == [typed.removeprefix("Sở ")]


def test_abbreviation_keys_are_compared_folded(vocab):
    for mapping in ({"kh&cn": "khoa học và công nghệ"}, {"KHCN": "khoa học và công nghệ"}):
        assert read_query("KH&CN", vocab, abbreviations=mapping).expansions == [["khoa", "học", "và", "công", "nghệ"]]
    assert read_query("ĐBSCL", vocab, abbreviations={"dbscl": "đồng bằng sông Cửu Long"}).expansions == [
        ["đồng", "bằng", "sông", "cửu", "long"]]


# --- glossary ------------------------------------------------------------------------------------------

def test_english_term_expands(vocab):
    reading = read_query("drip irrigation", vocab, [("drip irrigation", "tưới nhỏ giọt")])
    assert reading.expansions == [["tưới", "nhỏ", "giọt"]]
    assert reading.notes == [Note("glossary", "drip irrigation", "tưới nhỏ giọt")]
    assert reading.words == ["drip", "irrigation"]  # listings written in English still match


def test_english_plural_matches(vocab):
    reading = read_query("Rice Transplanters", vocab, [("rice transplanter", "máy cấy lúa")])
    assert reading.expansions == [["máy", "cấy", "lúa"]]


@pytest.mark.parametrize("typed", ["mùi hôi", "MÙI HÔI", "mui hoi", "mui hôi", "muif hooi"])
def test_symptom_matches_with_or_without_diacritics(vocab, typed):
    glossary = [("mùi hôi", "khử mùi"), ("mùi hôi", "đệm lót sinh học")]
    reading = read_query(typed, vocab, glossary)
    assert reading.expansions == [["khử", "mùi"], ["đệm", "lót", "sinh", "học"]]
    assert [note.kind for note in reading.notes][-2:] == ["glossary", "glossary"]


def test_diacritics_typed_must_be_the_terms_own(vocab):
    glossary = [("chăn nuôi heo", "chăn nuôi lợn")]
    assert read_query("chan nuoi heo", vocab, glossary).expansions == [["chăn", "nuôi", "lợn"]]
    assert read_query("chăn nuôi héo", vocab, glossary).expansions == []
    assert read_query("hoà mạng", vocab, [("hòa mạng", "nối lưới")]).expansions == [["nối", "lưới"]]


def test_longest_term_wins(vocab):
    glossary = [("heat pump", "bơm nhiệt"), ("heat pump dryer", "sấy bơm nhiệt"), ("dryer", "máy sấy"),
                ("solar", "điện mặt trời")]
    reading = read_query("solar heat pump dryer", vocab, glossary)
    assert reading.expansions == [["điện", "mặt", "trời"], ["sấy", "bơm", "nhiệt"]]


def test_expansions_have_no_duplicates(vocab):
    glossary = [("fish feed", "thức ăn cho cá"), ("fish feed", "thức ăn thủy sản"), ("aquafeed", "thức ăn thủy sản"),
                ("fish feed", "Thức ăn cho cá")]
    reading = read_query("fish feed aquafeed", vocab, glossary)
    assert reading.expansions == [["thức", "ăn", "cho", "cá"], ["thức", "ăn", "thủy", "sản"]]


def test_glossary_object_and_pairs_read_alike(vocab):
    pairs = [("drip irrigation", "tưới nhỏ giọt"), ("mùi hôi", "khử mùi")]
    assert read_query("drip irrigation mui hoi", vocab, pairs) == read_query(
        "drip irrigation mui hoi", Vocabulary(vocab), Glossary(pairs))


# --- spelling ------------------------------------------------------------------------------------------

def test_typo_gets_a_correction_and_a_suggestion(vocab):
    reading = read_query("phna bon huu co", vocab)
    assert reading.corrections == {"phna": "phan"}
    assert reading.suggestion == "phan bon huu co"
    assert reading.notes == [Note("spelling", "phna", "phan")]
    assert reading.words == ["phna", "bon", "huu", "co"]


def test_accented_typo_gets_an_accented_correction(vocab):
    reading = read_query("nướcc thải", vocab)
    assert reading.corrections == {"nướcc": "nước"}
    assert reading.suggestion == "nước thải"


def test_typed_diacritics_choose_among_candidates(vocab):
    reading = read_query("máy sâý nông sảm", vocab)  # tone on the wrong vowel; m for n
    assert reading.corrections == {"sâý": "sấy", "sảm": "sản"}
    assert reading.suggestion == "máy sấy nông sản"


def test_slipped_diacritics_are_corrected_in_a_glossary_term_too(vocab):
    reading = read_query("máy sâý", vocab, [("máy sấy", "lò sấy")])
    assert reading.expansions == [["lò", "sấy"]]
    assert reading.suggestion == "máy sấy"


def test_slipped_diacritics_are_corrected_when_the_index_knows_the_letters():
    vocab = vocabulary_of(["nước thải", "hòa mạng", "nông sản", "nông sản sạch", "nhân sâm"])
    assert read_query("nươc thải", vocab).corrections == {"nươc": "nước"}
    assert read_query("nông sảm", vocab).corrections == {"sảm": "sản"}  # "sâm" is as close, but rarer
    assert read_query("hoà mạng", vocab).corrections == {}  # the other style of "hòa"
    assert read_query("nuoc thai", vocab).corrections == {}  # typed without diacritics: nothing wrong


def test_the_most_frequent_candidate_wins():
    vocab = {"thai": 50, "than": 10, "thao": 1}
    assert read_query("thak", vocab).corrections == {"thak": "thai"}


def test_long_words_may_be_two_edits_off_short_ones_only_one(vocab):
    assert read_query("tricodrema", vocab).corrections == {"tricodrema": "trichoderma"}
    assert read_query("nxco", vocab).corrections == {}


@pytest.mark.parametrize("typed", ["xo", "12345", "pvc", "ATTP", "nước"])
def test_no_correction_for_short_words_numbers_acronyms_and_known_words(vocab, shipped, typed):
    glossary, abbreviations = shipped
    assert read_query(typed, vocab, glossary, abbreviations).corrections == {}


def test_spelling_is_found_in_a_large_vocabulary():
    vocab = vocabulary_of(LISTINGS, {f"w{i:05d}x": 1 for i in range(50_000)})
    assert read_query("xử lý nuco thải", vocab).corrections == {"nuco": "nuoc"}


# --- limits --------------------------------------------------------------------------------------------

def test_at_most_max_words_are_read(vocab):
    assert len(read_query("máy cấy lúa " * 100, vocab).words) == 40
    assert read_query("máy cấy lúa", vocab, max_words=2).words == ["máy", "cấy"]


@pytest.mark.parametrize("text", ["", "   ", "***", "!!! ??? ...", "\x00", "\u200b\u202e", "🙂🙂🙂", None])
def test_nothing_left_gives_an_empty_reading(vocab, text):
    assert read_query(text, vocab) == Reading(text="")


@pytest.mark.parametrize("text", ["title:(", "*", "a" * 10_000, "máy " * 2_500, "x&y&z", "KH&", "&CN", "ddddd",
                                  "w" * 50, "ươ", "qu gi ngh", "İstanbul ﬁsh １２３ 中文", "e\u0301\u0323", 12345])
def test_absurd_input_does_not_raise(vocab, shipped, text):
    glossary, abbreviations = shipped
    reading = read_query(text, vocab, glossary, abbreviations)
    assert isinstance(reading.words, list)
    assert reading.suggestion is None or isinstance(reading.suggestion, str)


def test_random_input_does_not_raise(vocab, shipped):
    glossary, abbreviations = shipped
    rnd = random.Random(2024)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwzĐÁ áàảãạấ-&/:()*_'\"\x00\u200b\u0301\u0323🙂中 1234"
    for _ in range(1_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        reading = read_query(text, vocab, glossary, abbreviations)
        assert all(word == unicodedata.normalize("NFC", word) for word in reading.words)


def test_vocabulary_and_mapping_read_alike(vocab, shipped):
    glossary, abbreviations = shipped
    for text in ("coong ngheej", "maycaylua", "phna bon", "ATTP mui hoi"):
        assert read_query(text, vocab, glossary, abbreviations) == read_query(
            text, Vocabulary(vocab).prepare(), glossary, abbreviations)


# --- syllables -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("word, ok", [
    ("nghiêng", True), ("quýt", True), ("giếng", True), ("gìn", True), ("khuya", True), ("người", True),
    ("thuở", True), ("yêu", True), ("ngiêng", False), ("ci", False), ("tẻp", False), ("iêu", False),
    ("ghá", False), ("attp", False), ("drip", False),
])
def test_syllable_check(word, ok):
    assert is_syllable(word) is ok


# --- shipped data --------------------------------------------------------------------------------------

def _rows(path, header):
    """The rows of a shipped CSV file, after checking its header."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == header
        return list(reader)


@pytest.mark.parametrize("path, header", [
    (GLOSSARY_FILE, ["term", "expansion"]),
    (SYMPTOMS_FILE, ["term", "expansion"]),
    (ABBREVIATIONS_FILE, ["abbreviation", "expansion"]),
])
def test_shipped_files_parse_without_duplicates_or_empty_fields(path, header):
    rows = _rows(path, header)
    assert all(len(row) == 2 for row in rows)
    assert all(row[0].strip() and row[1].strip() and tokenize(row[1]) for row in rows)
    assert all(row == [cell.strip() for cell in row] for row in rows)
    folded = [tuple(" ".join(_folded(w) for w in tokenize(cell)) for cell in row) for row in rows]
    assert [row for row, count in Counter(folded).items() if count > 1] == []


def test_glossary_covers_english_terms_and_symptoms():
    rows = _rows(GLOSSARY_FILE, ["term", "expansion"])
    terms = {term for term, _ in rows}
    english = {term for term in terms if term.isascii() and not all(could_be_syllable(w) for w in tokenize(term))}
    assert len(english) >= 200
    assert len(terms - english) >= 60
    # A one-word term typed without diacritics must not be a Vietnamese syllable, or it would fire on
    # Vietnamese typed without them.
    assert [term for term in terms if term.isascii() and len(tokenize(term)) == 1 and could_be_syllable(term)] == []


@pytest.mark.parametrize("query, expansion", [
    ("drip irrigation", "tưới nhỏ giọt"),
    ("fish feed", "thức ăn cho cá"),
    ("fish feed", "thức ăn thủy sản"),
    ("mùi hôi", "khử mùi"),
    ("mui hoi", "đệm lót sinh học"),
    ("cá nổi đầu", "thiếu ô-xy"),
    ("nước giếng nhiễm phèn", "xử lý sắt"),
    ("lúa bị đổ", "cứng cây"),
    ("điện tăng cao", "tiết kiệm điện"),
    ("rau nhanh héo", "bảo quản rau"),
    ("hàng bị mốc", "chống mốc"),
    ("cháy nổ", "báo cháy"),
    ("heat pump dryer", "sấy bơm nhiệt"),
    ("unfired bricks", "gạch không nung"),
    ("AI camera", "camera AI"),
    # symptoms.csv: a farmer's or small firm's words for the cause, and what an offer calls it
    ("chuot pha lua", "gặm nhấm"),
    ("ốc bươu vàng cắn lúa", "Pomacea"),
    ("vườn ổi trái có dòi", "ruồi đục quả"),
    ("lợn nái mất sữa", "hội chứng MMA"),
    ("tôm phân trắng", "EHP"),
    ("dưa muối bị khú", "lên men lactic"),
    ("gỗ bị mọt", "bảo quản gỗ"),
])
def test_shipped_glossary_reads_the_issue_examples(vocab, shipped, query, expansion):
    glossary, abbreviations = shipped
    assert tokenize(expansion) in read_query(query, vocab, glossary, abbreviations).expansions


def test_symptom_terms_are_phrases_not_everyday_words():
    """A symptom row fires wherever its term is written: a term of one everyday word ("lá", "cá", "nước") would
    add its expansion to half the exchange, and the terms of the two files do not say the same thing twice."""
    rows = _rows(SYMPTOMS_FILE, ["term", "expansion"])
    assert len(rows) >= 600
    everyday = {"lá", "quả", "trái", "nước", "máy", "cá", "gà", "lợn", "heo", "đất", "hàng", "vàng", "lúa", "cây",
                "rau", "điện", "bánh", "gỗ", "bị", "chết", "thối", "mốc", "hỏng"}
    assert [term for term, _ in rows if term.lower() in everyday] == []
    pairs = {(_folded(t), _folded(e)) for t, e in _rows(GLOSSARY_FILE, ["term", "expansion"])}
    assert [row for row in rows if (_folded(row[0]), _folded(row[1])) in pairs] == []


def test_shipped_abbreviations():
    rows = _rows(ABBREVIATIONS_FILE, ["abbreviation", "expansion"])
    abbreviations = load_abbreviations()
    assert len(rows) >= 60 and len(abbreviations) == len(rows)  # no two rows share a key
    # None collides with a syllable typed without diacritics ("ta" for "TĂ" would).
    assert [key for key in abbreviations if could_be_syllable(key)] == []
    for key in ("attp", "pccc", "khcn", "cntt", "bvtv", "ntts", "htx", "dnnvv", "xlnt", "nlmt", "tbkt", "shtt",
                "cgcn", "ocop", "ubnd", "dbscl", "kcn", "ccn", "bvmt", "nnptnt", "vsattp", "tacn"):
        assert key in abbreviations, key


def test_a_filler_is_a_filler_as_written_or_typed_without_diacritics():
    from marketplace.search.analysis import is_filler

    for word in ("có", "khi", "cần", "nên", "trong", "hỏi", "co", "khi", "can", "nen"):
        assert is_filler(word), word
    for word in ("khí", "hơi", "cân", "nén", "trồng", "hồi", "cơ", "tài", "máy"):
        assert not is_filler(word), word

"""Vietnamese text helpers: folding, normalisation, list splitting."""
import unicodedata

import pytest

from marketplace.core.text import fold, normalize, slugify, split_list


@pytest.mark.parametrize("text, folded", [
    ("Đường Máy cấy LÚA", "duong may cay lua"),
    ("máy sấy nông sản", "may say nong san"),
    ("ĐẬU Đỗ", "dau do"),
    ("Công nghệ  sinh học\n", "cong nghe sinh hoc"),
    ("", ""),
    (None, ""),
])
def test_fold_strips_diacritics_and_case(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_and_composed_input_alike():
    composed = "Thủy sản Hà Nam"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "thuy san ha nam"


def test_normalize_turns_decomposed_input_into_composed():
    composed = "Nhu cầu công nghệ xử lý nước thải"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert normalize(decomposed) == composed
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_normalize_collapses_whitespace_and_handles_none():
    assert normalize("  máy   cấy \t lúa\n") == "máy cấy lúa"
    assert normalize(None) == ""


@pytest.mark.parametrize("value, items", [
    ("a; b;; c", ["a", "b", "c"]),
    ("  lúa ; ngô;lúa ", ["lúa", "ngô"]),
    (["x", " y ", "", "x"], ["x", "y"]),
    (("một", "hai"), ["một", "hai"]),
    ("", []),
    (None, []),
])
def test_split_list(value, items):
    assert split_list(value) == items


def test_split_list_with_another_separator_and_nfd_duplicates():
    assert split_list("license,assignment, license", sep=",") == ["license", "assignment"]
    assert split_list("lúa;" + unicodedata.normalize("NFD", "lúa")) == ["lúa"]


def test_slugify_is_ascii_and_never_empty():
    assert slugify("Viện Công nghệ Sinh học — Hà Nam") == "vien-cong-nghe-sinh-hoc-ha-nam"
    assert slugify("!!!") == "x"
    assert len(slugify("a" * 200)) <= 80


@pytest.mark.parametrize("text, kept", [
    ("Máy sấy nông sản", "Máy sấy nông sản"),  # nothing to drop: returned as it is
    ("dòng một\ndòng hai\tcột", "dòng một\ndòng hai\tcột"),  # line breaks and tabs stay
    ("tên\u200bẩn", "tênẩn"),  # zero-width space
    ("\u202egpj.pdf", "gpj.pdf"),  # right-to-left override
    ("a\x00b\x1fc\ud800d\ue000e", "abcde"),  # NUL, a control, a lone surrogate, private use
    ("giữ\u00a0khoảng\u2003trắng", "giữ\u00a0khoảng\u2003trắng"),  # spaces are normalize()'s business
])
def test_strip_invisible_drops_what_nobody_types_and_keeps_the_rest(text, kept):
    from marketplace.core.text import strip_invisible

    assert strip_invisible(text) == kept

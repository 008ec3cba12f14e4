"""What a visitor types, made into a search, and the snippets of text shown with results.

- accents and punctuation do not matter ("Malmo" finds Malmö, "St Petersburg" finds
  St. Petersburg) and common variant names of the metropolises find them too;
- odd input (empty, very long, only punctuation, control characters) gets a note, not a 500;
- a snippet of each result's text with the matched words highlighted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.query import And, Or, PlainText

from baltmet.structured_data import plain_text

MAX_QUERY_LENGTH = 100
MAX_WORDS = 10
EXCERPT_LENGTH = 240

# Names visitors type for the metropolises and for "Saint": each group matches as one word.
# Accents are removed before the lookup, so "København" is listed as "kobenhavn".
WORD_VARIANTS = [
    {"st", "saint", "sankt", "sanct"},
    {"petersburg", "peterburg", "petersbourg"},
    {"copenhagen", "kobenhavn", "kopenhagen"},
    {"warsaw", "warszawa", "warschau"},
    {"vilnius", "wilno", "vilna"},
    {"tallinn", "tallin", "reval"},
    {"helsinki", "helsingfors"},
    {"malmo", "malmoe"},
    {"riga", "ryga"},
]
VARIANTS = {word: group for group in WORD_VARIANTS for word in group}


# Letters Unicode does not decompose into a base letter and an accent (PostgreSQL's unaccent
# folds them too): "København" → "kobenhavn", "Łódź" → "lodz".
UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower case without diacritics: "Rīga" and "RIGA" both become "riga"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Snippets fold every word of the texts they look through (800 for a page of results), and
# the same words recur on every page.
fold_word = functools.lru_cache(maxsize=8192)(fold)


@dataclass
class ParsedQuery:
    text: str = ""  # what the visitor typed, cleaned, shown back in the box
    words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def search_query(self):
        """All words must match; a word matches any of its variants."""
        terms = []
        for word in self.words:
            variants = sorted(VARIANTS.get(fold(word), {word}))
            if len(variants) == 1:
                terms.append(PlainText(variants[0]))
            else:
                terms.append(Or([PlainText(v) for v in variants]))
        return terms[0] if len(terms) == 1 else And(terms)

    def highlight_stems(self) -> list[str]:
        stems = set()
        for word in self.words:
            for variant in VARIANTS.get(fold(word), {fold(word)}):
                stems.add(stem(variant))
        return sorted(stems, key=len, reverse=True)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# A word is letters and digits; "St." and "Malmö," are the words "St" and "Malmö".
WORD = re.compile(r"\w+")


def parse_query(raw: str) -> ParsedQuery:
    text = " ".join(CONTROL_CHARACTERS.sub(" ", raw).split())
    parsed = ParsedQuery()
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        parsed.notes.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters; "
            "only its beginning was used."
        )
    words = [w for w in WORD.findall(text) if w.strip("_")]
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        parsed.notes.append(f"Only the first {MAX_WORDS} words were used.")
    parsed.text, parsed.words = text, words
    return parsed


SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ies",
    "ion",
    "es",
    "ed",
    "s",
)


def stem(word: str) -> str:
    """A rough stem for highlighting only ("innovations" → "innovat"); the search engine
    itself uses PostgreSQL's English stemmer."""
    word = fold(word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def highlight(text: str, stems: list[str], length: int = EXCERPT_LENGTH) -> SafeString:
    """An escaped excerpt of `text` around the first matched word, matches in <mark>."""
    matches = [
        m for m in WORD.finditer(text) if any(fold_word(m.group()).startswith(s) for s in stems)
    ]
    start = 0
    if matches and matches[0].start() > length // 3:
        start = text.rfind(" ", 0, matches[0].start() - length // 3) + 1
    end = len(text) if len(text) - start <= length else text.rfind(" ", start, start + length)
    if end <= start:
        end = start + length
    parts = ["… " if start else ""]
    position = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts += [escape(text[position : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        position = match.end()
    parts += [escape(text[position:end]), " …" if end < len(text) else ""]
    return mark_safe("".join(parts))  # every piece of text is escaped above


# StreamField values that are settings or references, not words a visitor reads.
NOT_TEXT = {"type", "id", "level", "embed", "image", "document", "organisation", "contact_email"}


def stream_text(value) -> str:
    """The words of a StreamField, read from its stored JSON (no queries)."""

    def walk(node):
        if isinstance(node, str):
            yield plain_text(node)
        elif isinstance(node, dict):
            for key, item in node.items():
                if key not in NOT_TEXT:
                    yield from walk(item)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    raw = getattr(value, "raw_data", None)
    if raw is None:
        return ""
    return " ".join(" ".join(walk(list(raw))).split())


# Fields whose text may give a page's snippet, the summary-like ones first.
SUMMARY_FIELDS = ("search_description", "intro", "headline", "summary", "mission", "description")
BODY_FIELDS = ("body", "profile", "goals", "results")


def page_texts(page) -> list[str]:
    texts = []
    for name in SUMMARY_FIELDS:
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            texts.append(plain_text(value))
    for name in BODY_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, str):
            texts.append(plain_text(value))
        elif value is not None:
            texts.append(stream_text(value))
    return [text for text in texts if text]


def excerpt(texts: list[str], stems: list[str]) -> SafeString:
    """The first text that contains a matched word, else the first text."""
    for text in texts:
        if any(fold_word(word).startswith(s) for word in WORD.findall(text) for s in stems):
            return highlight(text, stems)
    return highlight(texts[0], stems) if texts else mark_safe("")

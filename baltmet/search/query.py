"""What a visitor types, made into a search, and the snippets of text shown with results.

- accents and punctuation do not matter ("Malmo" finds Malmö, "St Petersburg" finds
  St. Petersburg) and common variant names of the metropolises find them too;
- the last word may be the beginning of a word, as a visitor types ("Culmin" finds
  Culminatum): it also stands for the words of titles that begin with it (`completions`);
- odd input (empty, very long, only punctuation, control characters) gets a note, not a 500;
- how many of the searched words a result's title holds, which ranks it (`title_score`);
- a snippet of each result's text with the matched words highlighted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from wagtail.search.query import And, PlainText

from baltmet.structured_data import plain_text

MAX_QUERY_LENGTH = 100
MAX_WORDS = 10
EXCERPT_LENGTH = 240
# The last word is taken as the beginning of longer words from this many letters on; a
# shorter one would stand for too many words to mean anything.
MIN_PREFIX_LENGTH = 3
# At most this many longer words stand in for the last word (the commonest in the titles).
MAX_COMPLETIONS = 20

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

# PostgreSQL's English stop words (its `english.stop`, which the `baltmet_search`
# configuration applies): the search engine ignores them, and so do the titles' ranking, the
# highlighting and the last word, which is then a whole word, not the beginning of another.
ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS.split())


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
    # Longer words that the last word begins, found in titles (set by the view: see `prefix`).
    completions: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        """The last word, when it may be the beginning of a longer word: it has at least
        MIN_PREFIX_LENGTH letters and is not a stop word. Empty otherwise."""
        if not self.words:
            return ""
        last = fold(self.words[-1])
        if len(last) < MIN_PREFIX_LENGTH or last in STOP_WORDS:
            return ""
        return self.words[-1]

    def search_query(self):
        """All words must match; a word matches any of its variants, and the last word also
        any of its completions (one PlainText of alternatives: a single rank to compute)."""
        terms = []
        for position, word in enumerate(self.words, start=1):
            alternatives = set(VARIANTS.get(fold(word), {word}))
            if position == len(self.words):
                alternatives.update(self.completions)
            terms.append(PlainText(" ".join(sorted(alternatives)), operator="or"))
        return terms[0] if len(terms) == 1 else And(terms)

    @functools.cached_property
    def stems(self) -> list[tuple[str, ...]]:
        """For each searched word but stop words (which the search ignores), the stems that
        a word of a text may begin with to match it: the stems of its variants. The last
        word's stem begins its completions too."""
        return [
            tuple(sorted({stem(variant) for variant in VARIANTS.get(folded, {folded})}))
            for folded in map(fold, self.words)
            if folded not in STOP_WORDS
        ]

    def highlight_stems(self) -> list[str]:
        """The stems to mark in snippets, longest first. Not those of stop words, which
        would mark every word beginning with "in" or "on"."""
        return sorted(set().union(*self.stems), key=len, reverse=True)

    def title_score(self, title: str) -> int:
        """How many of the searched words (stop words aside) the title holds, found as in
        the snippets: a word of the title begins with the stem of the searched word."""
        title_words = [fold_word(w) for w in WORD.findall(title)]
        return sum(any(t.startswith(stems) for t in title_words) for stems in self.stems)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# A word is letters and digits; "St." and "Malmö," are the words "St" and "Malmö", and
# "Culmin_" is "Culmin" (PostgreSQL's parser also splits words at an underscore).
WORD = re.compile(r"[^\W_]+")


def parse_query(raw: str) -> ParsedQuery:
    text = " ".join(CONTROL_CHARACTERS.sub(" ", raw).split())
    parsed = ParsedQuery()
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        note = ngettext(
            "Your search was longer than %(max)d character; only its beginning was used.",
            "Your search was longer than %(max)d characters; only its beginning was used.",
            MAX_QUERY_LENGTH,
        )
        parsed.notes.append(note % {"max": MAX_QUERY_LENGTH})
    words = WORD.findall(text)
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        note = ngettext(
            "Only the first %(max)d word was used.",
            "Only the first %(max)d words were used.",
            MAX_WORDS,
        )
        parsed.notes.append(note % {"max": MAX_WORDS})
    parsed.text, parsed.words = text, words
    return parsed


def completions(prefix: str, titles: list[str]) -> list[str]:
    """The longer words that `prefix` begins in these titles, the commonest first (at most
    MAX_COMPLETIONS), folded: "Culmin" → ["culminatum"]."""
    start = fold(prefix)
    found = Counter(
        word
        for title in titles
        for word in map(fold_word, WORD.findall(title))
        if word.startswith(start) and word != start
    )
    return sorted(found, key=lambda word: (-found[word], word))[:MAX_COMPLETIONS]


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
    "y",  # "strategy" → "strateg", which begins "strategies" too
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

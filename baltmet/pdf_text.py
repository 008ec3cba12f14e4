"""The text of an uploaded PDF, so that search finds a document by what it says."""

from __future__ import annotations

import logging

from pypdf import PdfReader

logger = logging.getLogger(__name__)

# Enough for any report the network publishes; a larger file is searched by its beginning.
MAX_PAGES = 300
MAX_CHARACTERS = 500_000


def pdf_text(file) -> str:
    """The text of the PDF in `file` (an open binary file), or "" if it has none or cannot be
    read: a scanned, encrypted or damaged PDF is still a document, just not searchable by its
    words. At most MAX_PAGES pages and MAX_CHARACTERS characters."""
    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        parts, length = [], 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= MAX_CHARACTERS:
                break
    # pypdf raises many kinds of error on damaged files (its own, but also ValueError,
    # KeyError, TypeError, RecursionError...): none of them may stop an upload.
    except Exception:
        logger.warning("Could not read the text of a PDF", exc_info=True)
        return ""
    # PostgreSQL's text type cannot hold NUL characters, which some PDFs' text contains.
    return "\n".join(parts)[:MAX_CHARACTERS].replace("\x00", "")

"""Where pages sit in the site: the fixed pages, a card's, a topic's (a topic page is its
doc's repo path, found by the topic's number)."""

from __future__ import annotations

from extract.curriculum import Topic
from extract.library import CARDS_DIR, TOPICS_DIR, Library

HOME = "index.md"
CATALOG = "catalog.md"
TOPICS_INDEX = f"{TOPICS_DIR}/index.md"
CARDS_INDEX = f"{CARDS_DIR}/index.md"
SOURCES_INDEX = "sources/index.md"
CURRICULUM = "distributed_video_dit_inference.md"


def card_src(rid: str) -> str:
    return f"{CARDS_DIR}/{rid}.md"


def topic_src(lib: Library, key: int | str) -> str | None:
    """The site path of a topic's page: its doc's repo path (found by number); None for
    a key no topic has."""
    topic = lib.topic(key)
    return topic_page(lib, topic) if topic else None


def topic_page(lib: Library, topic: Topic) -> str:
    """The site path of ``topic``'s page: its doc's repo path."""
    return lib.rel(lib.topic_doc_path(topic))

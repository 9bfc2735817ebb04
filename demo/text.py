"""Titles, bodies and comments in Chinese or English, from the vocabulary.

Every choice comes from the caller's seeded generator (as arrays of draws), so the
text is reproducible; loops are plain Python because string formatting is.
"""

import numpy as np

from demo import vocab
from posts.models import TITLE_COMPOSER_LENGTH


def title(topic: vocab.Topic, zh: bool, draws: list[int], city: vocab.City | None) -> str:
    """A title of at most TITLE_COMPOSER_LENGTH characters; `draws` are four random ints."""
    templates, adjectives = (vocab.TITLES_ZH, vocab.ADJ_ZH) if zh else (vocab.TITLES_EN, vocab.ADJ_EN)
    items = topic.items_zh if zh else topic.items_en
    city_name = (city.zh if zh else city.en) if city else ""
    template = templates[draws[0] % len(templates)]
    if "{city}" in template and not city_name:
        template = templates[0]
    text = template.format(
        adj=adjectives[draws[1] % len(adjectives)], item=items[draws[2] % len(items)], city=city_name
    )
    if len(text) > TITLE_COMPOSER_LENGTH:  # long English item names: fall back to the shortest shape
        text = f"{items[draws[2] % len(items)]} review" if not zh else f"{items[draws[2] % len(items)]}推荐"
    text = text[:TITLE_COMPOSER_LENGTH]
    return text[0].upper() + text[1:] if not zh else text


def body(topic: vocab.Topic, zh: bool, draws: list[int], tags: list[str], place: str) -> str:
    """Opener, two to four sentences, a closer and the #tags; `draws` are six random ints."""
    sentences = topic.sentences_zh if zh else topic.sentences_en
    items = topic.items_zh if zh else topic.items_en
    item = items[draws[0] % len(items)]
    count = 2 + draws[1] % 3
    start = draws[2] % len(sentences)
    picked = [sentences[(start + i) % len(sentences)].format(item=item) for i in range(count)]
    opener = (vocab.OPENERS_ZH if zh else vocab.OPENERS_EN)[draws[3] % 4]
    closer = (vocab.CLOSERS_ZH if zh else vocab.CLOSERS_EN)[draws[4] % 3]
    joiner = "" if zh else " "
    lines = [joiner.join(part for part in (opener, *picked) if part)]
    if place:
        lines.append(f"📍{place}")
    lines.append(closer)
    lines.append(" ".join(f"#{tag}" for tag in tags))
    return "\n".join(lines)


def comment(zh: bool, draw: int) -> str:
    phrases = vocab.COMMENTS_ZH if zh else vocab.COMMENTS_EN
    return phrases[draw % len(phrases)]


def note_tags(topic: vocab.Topic, zh: bool, draws: np.ndarray, city: vocab.City | None) -> list[str]:
    """The topic's English slug (channel tabs use it), one to three topic tags, the city's name."""
    pool = topic.tags_zh if zh else topic.tags_en + topic.tags_zh[:2]
    tags = [topic.slug]
    for draw in draws[: 1 + draws[-1] % 3]:
        tag = pool[draw % len(pool)]
        if tag not in tags:
            tags.append(tag)
    if city is not None:
        tags.append(city.zh)
    return tags


def all_tag_names() -> list[str]:
    names = {city.zh for city in vocab.CITIES}
    for topic in vocab.TOPICS:
        names.update((topic.slug, *topic.tags_zh, *topic.tags_en))
    return sorted(names)

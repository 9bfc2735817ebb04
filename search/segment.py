"""Text -> search tokens, cut the same way at index time and at query time.

Chinese has no spaces: jieba cuts it into dictionary words ("保湿面霜推荐" -> 保湿 面霜
推荐), and its search mode also emits the shorter words inside long ones ("防晒霜" ->
防晒 防晒霜), so a query for either word finds the note. Latin text is NFKC-folded
(full-width letters become ASCII), lowercased and split on anything not a letter or
digit, and English words are reduced to their Snowball stem, the same at index and
query time, so "cameras" finds "camera" and "trail" finds "trails" (Chinese keeps its
jieba words); matching is also by prefix (search/backends.py), so "lip" finds "lipstick".
"""

import logging
import os
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import snowballstemmer

# A run of CJK ideographs, or a run of other letters/digits (Latin, kana, hangul...).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RE = re.compile(rf"[{_CJK}]")
_ENGLISH_RE = re.compile(r"[a-z]+")  # stemmed; words with digits ("spf50") or other scripts are not

# Words too common to narrow a search: left out of the index and of queries.
_STOPWORDS_ZH = "的了是在和也都就我你他她它们这那有很吗呢吧啊呀哦嘛与及或而被把给着过之"
_STOPWORDS_EN = "a an and are as at be by for from in is it of on or the to with"
STOPWORDS = frozenset(_STOPWORDS_ZH) | frozenset(_STOPWORDS_EN.split())
MAX_QUERY_TERMS = 12

# Community words jieba's general dictionary lacks (试色, 平替, 敏感肌...): without them
# they would be cut into single characters, which match far too much.
USER_DICT = Path(__file__).with_name("userdict.txt")

_init_lock = threading.Lock()
_ready = False
# search/apps.py warms up in a thread while a Celery worker starts, which is exactly when
# the prefork pool forks its processes. A child forked while that thread holds the lock
# inherits it held by a thread the child does not have: it hangs for ever at its first
# index task, holding that task's row locks. So a fork waits for a warm-up in progress.
os.register_at_fork(before=_init_lock.acquire, after_in_parent=_init_lock.release, after_in_child=_init_lock.release)


def warm_up() -> None:
    """Load jieba's dictionary once per process (about 0.4 s); later calls are free."""
    global _ready
    if _ready:
        return
    with _init_lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            jieba.load_userdict(str(USER_DICT))
            _ready = True


# Runs repeat a lot (titles, stock phrases, tags), so a run is cut once per process.
@lru_cache(maxsize=50_000)
def _cut_for_index(run: str) -> tuple[str, ...]:
    return tuple(jieba.cut_for_search(run, HMM=False))


@lru_cache(maxsize=5_000)
def _cut_for_query(run: str) -> tuple[str, ...]:
    return tuple(jieba.cut(run, HMM=False))


# Snowball stemmers keep their state on the instance: one per thread.
_stemmers = threading.local()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """An English word's Snowball stem ("cameras" -> camera, "running" -> run); others as they are."""
    if not _ENGLISH_RE.fullmatch(word):
        return word
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def _runs(text: str) -> list[str]:
    return _RUN_RE.findall(unicodedata.normalize("NFKC", text or "").lower())


def is_cjk(run: str) -> bool:
    return bool(_CJK_RE.match(run))


def index_tokens(text: str) -> list[str]:
    """Every searchable word of `text`, in order, stopwords dropped, English words stemmed."""
    warm_up()
    tokens = []
    for run in _runs(text):
        if is_cjk(run):
            tokens.extend(word for word in _cut_for_index(run) if word not in STOPWORDS)
        elif run not in STOPWORDS:
            tokens.append(stem(run))
    return tokens


def text_words(text: str) -> list[str]:
    """The words of `text` as written (folded, not stemmed): Chinese words and their
    sub-words, Latin words; stopwords dropped. What suggestions complete to."""
    warm_up()
    words = []
    for run in _runs(text):
        words.extend(_cut_for_index(run) if is_cjk(run) else (run,))
    return [word for word in words if word not in STOPWORDS]


def index_text(*parts: str) -> str:
    """The segmented text stored for one document: tokens separated by spaces."""
    return " ".join(token for part in parts for token in index_tokens(part))


def query_words(query: str) -> list[str]:
    """The distinct words of a query as typed (folded, not stemmed), at most MAX_QUERY_TERMS.

    The query is cut in accurate mode: its words are whole words, each of which the
    index also holds (search mode emits the whole word as well as its parts).
    A query made only of stopwords keeps them, so "的" still searches for something.
    """
    warm_up()
    words = []
    for run in _runs(query):
        words.extend(_cut_for_query(run) if is_cjk(run) else (run,))
    kept = list(dict.fromkeys(word for word in words if word not in STOPWORDS)) or list(dict.fromkeys(words))
    return kept[:MAX_QUERY_TERMS]


def query_terms(query: str) -> list[str]:
    """The distinct terms a query searches for (all must match): its words, stemmed."""
    return list(dict.fromkeys(stem(word) for word in query_words(query)))

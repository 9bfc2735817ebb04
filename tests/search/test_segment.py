"""Segmentation: Chinese words and their sub-words, Latin words, and its cost."""

import subprocess
import sys
import time
from pathlib import Path

from search import segment
from search.segment import index_text, index_tokens, query_terms, query_words, text_words, warm_up

NOTE = (
    "秋冬保湿面霜推荐｜敏感肌亲测有效",
    "今天给大家分享一款我最近超爱的保湿面霜，质地很清爽，涂上去一点都不油腻，敏感肌也可以放心用。"
    "秋冬季节皮肤特别干，用了一周之后明显感觉皮肤水润了很多。价格也很美丽，学生党也能轻松入手！"
    "Texture is light, SPF50 sunscreen on top works fine. #护肤 #好物分享",
)


def test_chinese_is_cut_into_words_and_sub_words():
    tokens = index_tokens("保湿面霜推荐，平价好用的防晒霜")
    assert {"保湿", "面霜", "推荐", "防晒", "防晒霜", "平价"} <= set(tokens)
    assert "的" not in tokens  # stopword


def test_latin_is_folded_and_mixed_text_keeps_both():
    assert index_tokens("ＹＳＬ Rouge-Pur SPF50 口红") == ["ysl", "roug", "pur", "spf50", "口红"]
    assert query_terms("Dior 999 口红试色") == ["dior", "999", "口红", "试色"]


def test_english_words_are_stemmed_alike_at_index_and_query_time():
    assert index_tokens("Cameras, trails and running shoes") == ["camera", "trail", "run", "shoe"]
    assert query_terms("camera trail runs shoe") == ["camera", "trail", "run", "shoe"]
    assert query_words("Cameras") == ["cameras"]  # as typed, for highlighting
    assert text_words("Coffee 咖啡店 in Shanghai") == ["coffee", "咖啡", "咖啡店", "shanghai"]


def test_query_terms_drop_stopwords_punctuation_and_repeats():
    assert query_terms("  我的 面霜!!! 面霜 ") == ["面霜"]
    assert query_terms("的") == ["的"]  # only stopwords: keep them rather than search nothing
    assert query_terms("!!! ???") == []
    assert len(query_terms(" ".join(f"word{i}" for i in range(100)))) == 12


def test_segmenting_one_note_takes_a_few_milliseconds():
    warm_up()
    runs = 50
    started = time.perf_counter()
    for _ in range(runs):
        segment._cut_for_index.cache_clear()  # no cache hit flatters the figure
        index_text(*NOTE)
    per_note_ms = (time.perf_counter() - started) * 1000 / runs
    print(f"\nsegmenting one note ({len(NOTE[1])} chars): {per_note_ms:.2f} ms")
    assert per_note_ms < 10


ROOT = Path(__file__).resolve().parents[2]
_FORK_DURING_WARM_UP = """
import os, threading, time
from search import segment

def warm_up_in_progress():  # holds the lock as the start-up warm-up thread does while loading
    with segment._init_lock:
        time.sleep(1)

threading.Thread(target=warm_up_in_progress).start()
time.sleep(0.2)
pid = os.fork()  # as Celery's prefork pool forks while the worker starts
if pid == 0:
    segment.index_text("保湿面霜")
    os._exit(0)
os._exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


def test_a_process_forked_during_the_warm_up_does_not_hang():
    done = subprocess.run([sys.executable, "-c", _FORK_DURING_WARM_UP], cwd=ROOT, timeout=60)
    assert done.returncode == 0

"""#tags and @mentions: parsing, and linked HTML that stays escaped."""

from posts import text


def test_hashtags_and_mentions_are_found_in_any_script():
    body = "早安 #护肤 and #skin_care, C# mail a@b.com thanks @lin. and @mei_2"
    assert text.hashtags(body) == ["护肤", "skin_care"]
    assert text.mentions(body) == {"lin", "mei_2"}


def test_tags_merge_case_insensitively_and_are_capped():
    assert text.merge_tags(["#Coffee", " coffee ", ""], ["tea"]) == ["Coffee", "tea"]
    assert len(text.merge_tags([f"t{i}" for i in range(50)])) == text.MAX_TAGS


def test_linkify_escapes_everything_else():
    html = text.linkify('<b onclick="x">hi</b> #tag&more @lin. "quoted"')
    assert "<b" not in html and "&lt;b onclick=&quot;x&quot;&gt;" in html
    assert '<a class="hashtag" href="/tags/tag/">#tag</a>&amp;more' in html
    assert '<a class="mention" href="/u/lin/">@lin</a>.' in html
    assert "&quot;quoted&quot;" in html

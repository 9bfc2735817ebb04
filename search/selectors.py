"""Search reads: ranked ids per kind, hydrated by the owning apps' list querysets.

Notes and products are matched in their search documents (search/backends.py) and
then filtered on the live rows (`Note.objects.public()`, `Product.objects.listed()`,
blocks), so anything hidden since it was indexed is absent at once. Relevance is
computed over the best CANDIDATES matches by the stored `hot` prior (exact words
give Postgres true row estimates: it walks the `hot` index for a common word and
the GIN index for a rare one), then by the blended score (search/ranking.py);
deeper pages than that are not served. The hot tier (search/tiers.py) is searched
first, so most words' candidates come from a few hundred rows (see _best_by_prior).
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections
from django.db.models import BooleanField, Case, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from accounts.models import User, unblocked
from posts.cards import note_cards
from posts.models import Note
from redbook.exceptions import Invalid
from redbook.prepared import Arg, InList, PreparedQuery
from search import querylog, ranking
from search.backends import PREFIX_ANY, best_by_prior, can_prefix, estimated_rows, match
from search.models import HotTier, NoteDocument, ProductDocument, TagStat
from search.segment import is_cjk, query_terms, query_words, stem, text_words
from search.tiers import CANDIDATES
from shop.models import Product
from shop.selectors import product_find_by_gtin, products_base

# A word the planner expects this often in the hot tier (1 document in 15 and more) fills
# CANDIDATES sooner by walking the `hot` index than by reading all its matches in the
# tier (at 1M notes: 2-3 ms against 4-6 ms for 2,500 matches; 3 ms each way at 1,200).
WALK_MATCHES = 10 * CANDIDATES
ESTIMATES_REMEMBERED = 4096  # distinct (words, mode, period): a few hundred KB per process
ESTIMATE_SECONDS = 600  # how long a process trusts a planner's estimate
MAX_OFFSET = 1000
SORTS = {
    "notes": ("relevant", "newest", "most_liked"),
    "products": ("relevant", "price_asc", "price_desc"),
    "users": ("relevant",),
    "tags": ("relevant",),
}
SUGGESTIONS = 10
NAME_QUERY_MAX = 50  # user and tag names are short: longer input cannot match


@dataclass(frozen=True)
class Page:
    items: list  # ids for notes/products, rows for users/tags, best first
    has_more: bool


def _page(items: list, *, offset: int, limit: int) -> Page:
    """`items` holds up to limit+1 results from `offset`: the extra one says "more"."""
    return Page(items=items[:limit], has_more=len(items) > limit and offset + limit < MAX_OFFSET)


def _authenticated(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def _viewer_id(viewer) -> int | None:
    return viewer.pk if _authenticated(viewer) else None


def match_modes(terms: list[str]) -> list[dict]:
    """How to match, strictest first: every word exactly, then the last Latin word as a
    prefix, then any word. A search uses the first mode that finds something."""
    modes = [{"any_term": False, "prefix": False}]
    if can_prefix(terms):
        modes.append({"any_term": False, "prefix": True})
    if len(terms) > 1:
        modes.append({"any_term": True, "prefix": can_prefix(terms)})
    return modes


def _tiers(model, terms: list[str], mode: dict) -> list[bool | None]:
    """The documents cut in two by `in_hot_tier`, hottest first: the hot tier (search/tiers.py),
    then the rest; all at once (None) if the planner expects the words in WALK_MATCHES of
    the hot tier (then it walks the `hot` index, reading a few thousand rows). Without a
    tier (too few documents) the first is empty and the second is all."""
    period = int(time.monotonic() // ESTIMATE_SECONDS)
    expected = _expected_in_hot_tier(model, tuple(terms), period=period, **mode)
    if expected is not None and expected >= WALK_MATCHES:
        return [None]
    return [True, False]


# A planner's estimate changes only with the table's statistics (ANALYZE), and a wrong one
# costs speed, never results (`_tiers`), so each process remembers it for a while (`period`)
# rather than asking Postgres to plan the query again on every search (a round trip, ~1 ms
# of CPU).
@lru_cache(maxsize=ESTIMATES_REMEMBERED)
def _expected_in_hot_tier(model, terms: tuple[str, ...], *, period: int, any_term: bool, prefix: bool) -> int | None:
    """How many documents of the hot tier Postgres expects to hold `terms` (None elsewhere)."""
    hot_tier = model.objects.filter(in_hot_tier=True)
    return estimated_rows(match(hot_tier, list(terms), any_term=any_term, prefix=prefix))


def _best_by_prior(model, terms: list[str], mode: dict, tiers: list[bool | None], limit: int = 0) -> dict[int, float]:
    """{pk: text rank} of the `limit` (CANDIDATES) matches with the highest prior, tier after tier.

    Every match of a tier outranks every match of the next, so this is the top of all
    matches. Postgres finds a word's matches in the hot tier in its own partial GIN
    index and reads only those few hundred rows; over all documents it would walk the
    `hot` index through tens of thousands of rows (a word in 1 note of 100 at 1M notes)
    or read every match, to keep 200.
    """
    limit = limit or CANDIDATES
    found = {}
    for in_hot_tier in tiers:
        found.update(best_by_prior(model, terms, in_hot_tier=in_hot_tier, limit=limit - len(found), **mode))
        if len(found) == limit:
            break
    return found


def _candidates(model, terms: list[str]) -> dict[int, tuple[int, float]]:
    """{pk: (1 if it holds every word else 0, text rank)} of up to CANDIDATES matches by prior.

    Documents holding every word (exactly; failing that, the last Latin word as a
    prefix) come first. With several words, documents holding only some of them fill
    the rest, ranked below all of those (上海 咖啡: coffee notes in Shanghai first, then
    other coffee or Shanghai notes), so a query never comes back empty for one word.
    """
    found = {}
    for mode in match_modes(terms):
        if mode["any_term"]:
            if len(found) < CANDIDATES:
                some = _best_by_prior(model, terms, mode, _tiers(model, terms, mode))
                for pk, text_rank in some.items():
                    if len(found) == CANDIDATES:
                        break
                    found.setdefault(pk, (0, text_rank))
        elif not found:
            found = {
                pk: (1, text_rank)
                for pk, text_rank in _best_by_prior(model, terms, mode, _tiers(model, terms, mode)).items()
            }
    return found


def _relevant_ids(documents, live_rows: Callable, terms: list[str], score, offset: int, limit: int) -> list:
    """Up to limit+1 ids of live rows matching `terms`, from `offset`, by score.

    `live_rows(ids)` gives `(pk, *signals)` of those of `ids` still searchable, and
    `score(text_rank, *signals)` scores one candidate; those holding every word come
    first, and ties go to the newest (highest id).
    """
    candidates = _candidates(documents, terms)
    rows = live_rows(list(candidates))

    def key(row):
        every_word, text_rank = candidates[row[0]]
        return every_word, score(text_rank, *row[1:]), row[0]

    ranked = sorted(rows, key=key, reverse=True)
    return [row[0] for row in ranked[offset : offset + limit + 1]]


def _ordered_ids(documents, live: QuerySet, terms: list[str], ordering: tuple, offset: int, limit: int) -> list:
    """Up to limit+1 ids of `live` rows matching `terms`, from `offset`, in `ordering`."""
    for mode in match_modes(terms):
        matches = live.filter(pk__in=match(documents.objects.all(), terms, **mode).values("pk")).order_by(*ordering)
        ids = list(matches.values_list("pk", flat=True)[offset : offset + limit + 1])
        # An empty later page is the end of this mode's results, if it has any at all.
        if ids or (offset and matches.exists()):
            return ids
    return []


# --- Notes ---------------------------------------------------------------------------

NOTE_ORDERINGS = {"newest": ("-created_at", "-pk"), "most_liked": ("-like_count", "-pk")}


def searchable_notes(*, viewer_id) -> QuerySet:
    """Notes search may show: public ones (never hidden ones, not even one's own), minus
    those of authors blocked either way by `viewer_id` (an id, an `Arg`, or None)."""
    return Note.objects.public().filter(unblocked("author_id", viewer_id))


class EpochSeconds(Func):
    """A datetime column as seconds since 1970 (a float).

    For reading many rows: Django's timezone-aware loader for timestamptz costs ~8 µs
    of Python per value, 1.6 ms for a search's 200 candidates; a float costs nothing.
    """

    output_field = FloatField()
    template = "date_part('epoch', %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) - 2440587.5) * 86400.0")


# A relevant search scores its 200 candidates on their live signals: one query compiled
# once per process, as building it with the ORM cost more CPU than Postgres spends on it.
_LIVE_NOTE_SIGNALS = PreparedQuery(
    lambda: (
        searchable_notes(viewer_id=Arg("viewer"))
        .filter(InList(F("pk"), Arg("ids")))
        .values_list("pk", "like_count", "save_count", "comment_count", EpochSeconds("created_at"))
    )
)


def note_ids_search(*, viewer, terms: list[str], sort: str, offset: int, limit: int) -> Page:
    viewer_id = _viewer_id(viewer)
    if sort in NOTE_ORDERINGS:
        notes = searchable_notes(viewer_id=viewer_id)
        ids = _ordered_ids(NoteDocument, notes, terms, NOTE_ORDERINGS[sort], offset, limit)
    else:
        now = time.time()

        def score(text_rank, likes, saves, comments, created):
            return ranking.note_score(
                text_rank=text_rank, likes=likes, saves=saves, comments=comments, age_seconds=now - created
            )

        def live_rows(ids):
            return _LIVE_NOTE_SIGNALS.rows(ids=ids, viewer=viewer_id)

        ids = _relevant_ids(NoteDocument, live_rows, terms, score, offset, limit)
    return _page(ids, offset=offset, limit=limit)


# --- Products ------------------------------------------------------------------------

PRODUCT_ORDERINGS = {"price_asc": ("price_min", "pk"), "price_desc": ("-price_min", "-pk")}


def _product_score(text_rank, sold, notes):
    return ranking.product_score(text_rank=text_rank, sold=sold, notes=notes)


_LIVE_PRODUCT_SIGNALS = PreparedQuery(
    lambda: Product.objects.listed().filter(InList(F("pk"), Arg("ids"))).values_list("pk", "sold_count", "notes_count")
)


def _live_product_rows(ids: list[int]) -> list[tuple]:
    return _LIVE_PRODUCT_SIGNALS.rows(ids=ids)


def product_ids_search(*, terms: list[str], sort: str, offset: int, limit: int) -> Page:
    if sort in PRODUCT_ORDERINGS:
        products = Product.objects.listed()
        ids = _ordered_ids(ProductDocument, products, terms, PRODUCT_ORDERINGS[sort], offset, limit)
    else:
        ids = _relevant_ids(ProductDocument, _live_product_rows, terms, _product_score, offset, limit)
    return _page(ids, offset=offset, limit=limit)


# --- Users and tags ------------------------------------------------------------------


def printable(text: str) -> str:
    """`text` with control characters (NUL, tabs, newlines...) turned into spaces, trimmed.

    Postgres refuses NUL in text, and no name, tag or word contains a control character.
    """
    return "".join(char if char.isprintable() else " " for char in text or "").strip()


def _name_query(query: str) -> str:
    return printable(query).lstrip("@#").strip()[:NAME_QUERY_MAX]


def users_search(*, viewer, query: str, offset: int, limit: int) -> Page:
    """Accounts by username prefix or display-name substring: exact name, then prefix, then followers."""
    name = _name_query(query)
    if not name:
        return Page(items=[], has_more=False)
    closeness = Case(
        When(username__iexact=name, then=Value(2)),
        When(username__istartswith=name, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    users = (
        User.objects.visible_to(viewer)
        .filter(Q(username__istartswith=name) | Q(display_name__icontains=name))
        .annotate(closeness=closeness)
        .order_by("-closeness", "-followers_count", "pk")
    )
    return _page(list(users[offset : offset + limit + 1]), offset=offset, limit=limit)


def tags_search(*, query: str, offset: int, limit: int) -> Page:
    """Tags containing the query (trigram index), most used first."""
    name = _name_query(query)
    if not name:
        return Page(items=[], has_more=False)
    tags = TagStat.objects.filter(name__icontains=name, notes_count__gt=0).order_by("-notes_count", "name")
    return _page(list(tags[offset : offset + limit + 1]), offset=offset, limit=limit)


# --- Suggestions ---------------------------------------------------------------------


def _tags_like(prefix: str, limit: int) -> list[str]:
    """Tags starting with the prefix; on Postgres topped up with near spellings (trigrams)."""
    tags = TagStat.objects.filter(notes_count__gt=0)
    names = list(tags.filter(name__istartswith=prefix).order_by("-notes_count").values_list("name", flat=True)[:limit])
    if len(names) < limit and len(prefix) >= 3 and connections[tags.db].vendor == "postgresql":
        similar = tags.filter(RawSQL('UPPER("search_tagstat"."name"::text) %% UPPER(%s)', [prefix], BooleanField()))
        similar = similar.exclude(name__in=names).order_by("-notes_count")
        names += similar.values_list("name", flat=True)[: limit - len(names)]
    return names


def _interleave(*groups: list[dict], limit: int) -> list[dict]:
    """Round-robin over the groups, dropping repeated texts, up to `limit`."""
    merged, seen = [], set()
    for rank in range(max((len(group) for group in groups), default=0)):
        for group in groups:
            if rank < len(group) and group[rank]["text"].casefold() not in seen:
                seen.add(group[rank]["text"].casefold())
                merged.append(group[rank])
    return merged[:limit]


SUGGEST_DOCUMENTS = 30  # the hottest notes (and products) matching a prefix, read for words


def _tiered(models_: tuple) -> set:
    """Which of these document models have a hot tier now (search/tiers.py)."""
    labels = {model._meta.label_lower: model for model in models_}
    tiered = HotTier.objects.filter(documents__in=labels, floor__isnull=False).values_list("documents", flat=True)
    return {labels[label] for label in tiered}


def _texts_matching(documents, live: QuerySet, field: str, terms: list[str], tiered: bool) -> list[str]:
    """`field` of the SUGGEST_DOCUMENTS hottest live objects whose documents match `terms`,
    the last one as a prefix; only the hot tier's where there is one (a bounded read)."""
    matches = match(
        documents.objects.filter(in_hot_tier=True) if tiered else documents.objects.all(), terms, prefix=PREFIX_ANY
    )
    key = documents._meta.pk.name
    rows = (
        matches.filter(**{f"{key}__in": live.values("pk")}).order_by("-hot").values_list(f"{key}__{field}", flat=True)
    )
    return list(rows[:SUGGEST_DOCUMENTS])


def _completing(word: str, typed: str) -> bool:
    return len(word) > 1 and (word.startswith(typed) or stem(word).startswith(stem(typed)))


def _words_completing(*, viewer, typed: list[str], limit: int) -> list[str]:
    """Completions of the last word typed from public content: the words of the hottest
    matching notes' titles and products' names ("cof" -> coffee, "sun" -> sunscreen),
    by how many of them hold the word; the words typed before it are kept."""
    if not typed or (not is_cjk(typed[-1]) and len(typed[-1]) < 2):
        return []
    terms = [stem(word) for word in typed]
    tiered = _tiered((NoteDocument, ProductDocument))
    notes = searchable_notes(viewer_id=_viewer_id(viewer))
    texts = _texts_matching(NoteDocument, notes, "title", terms, NoteDocument in tiered)
    texts += _texts_matching(ProductDocument, Product.objects.listed(), "name", terms, ProductDocument in tiered)
    counts = Counter()
    for text in texts:
        counts.update({word for word in text_words(text) if _completing(word, typed[-1])})
    best = sorted(counts, key=lambda word: (-counts[word], len(word), word))[:limit]
    return [" ".join([*typed[:-1], word]) for word in best]


def suggestions(*, viewer, prefix: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Completions of `prefix`: queries many accounts searched (search/querylog.py), words
    of public notes and products, tags and user names; never one person's searches."""
    name = _name_query(prefix)
    if not name:
        return []
    queries = [{"type": "query", "text": q} for q in querylog.popular_completions(prefix=name, limit=limit)]
    words = _words_completing(viewer=viewer, typed=query_words(name), limit=limit)
    queries += [{"type": "query", "text": text} for text in words]
    tags = [{"type": "tag", "text": tag, "name": tag} for tag in _tags_like(name, limit)]
    users = (
        User.objects.visible_to(viewer)
        .filter(username__istartswith=name)
        .order_by("-followers_count", "pk")
        .values_list("username", "display_name")[:limit]
    )
    people = [{"type": "user", "text": login, "username": login, "display_name": shown} for login, shown in users]
    return _interleave(queries, tags, people, limit=limit)


# --- One search, for the API and the page ----------------------------------------------

QUERY_MAX_LENGTH = 200


@dataclass(frozen=True)
class SearchParams:
    query: str
    kind: str
    sort: str
    terms: list[str]  # searched for: English words stemmed (search/segment.py)
    words: list[str]  # as typed (folded)

    @property
    def highlights(self) -> list[str]:
        """What to mark in results: the words typed and their stems ("cameras", "camera")."""
        return list(dict.fromkeys(self.words + self.terms))


def search_params(*, query: str, kind: str = "", sort: str = "") -> SearchParams:
    """Validated search input; raises Invalid with a message for the person typing."""
    query = printable(query)
    kind = kind or "notes"
    if not query:
        raise Invalid(_("Type something to search for."), code="empty_query")
    if len(query) > QUERY_MAX_LENGTH:
        message = _("Search for at most %(limit)d characters.") % {"limit": QUERY_MAX_LENGTH}
        raise Invalid(message, code="query_too_long")
    if kind not in SORTS:
        message = _("Unknown type; use one of: %(choices)s.") % {"choices": ", ".join(SORTS)}
        raise Invalid(message, code="invalid_type")
    sort = sort or SORTS[kind][0]
    if sort not in SORTS[kind]:
        message = _("Unknown sort for %(kind)s; use one of: %(choices)s.") % {
            "kind": kind,
            "choices": ", ".join(SORTS[kind]),
        }
        raise Invalid(message, code="invalid_sort")
    return SearchParams(query=query, kind=kind, sort=sort, terms=query_terms(query), words=query_words(query))


def _in_order(objects: Iterable, ids: list[int]) -> list:
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]


def search(*, viewer, params: SearchParams, offset: int, limit: int) -> Page:
    """One page of results: Note / Product / User / TagStat objects, best first.

    Notes are `posts.cards.NoteCard`s (`note_cards` over the page's ids) and products from
    shop's list queryset, so a page costs a fixed number of queries whatever its length.
    """
    if params.kind in ("notes", "products") and not params.terms:
        return Page(items=[], has_more=False)  # only punctuation: nothing to match
    if params.kind == "notes":
        page = note_ids_search(viewer=viewer, terms=params.terms, sort=params.sort, offset=offset, limit=limit)
        # The ids are searchable (public, blocks applied): hydrate them as anyone sees them.
        return Page(items=note_cards(page.items, None), has_more=page.has_more)
    if params.kind == "products" and (by_gtin := product_find_by_gtin(params.query)) is not None:
        return Page(items=[by_gtin] if offset == 0 else [], has_more=False)  # a barcode names one product
    if params.kind == "products":
        page = product_ids_search(terms=params.terms, sort=params.sort, offset=offset, limit=limit)
        products = products_base().filter(pk__in=page.items)
        return Page(items=_in_order(products, page.items), has_more=page.has_more)
    if params.kind == "users":
        return users_search(viewer=viewer, query=params.query, offset=offset, limit=limit)
    return tags_search(query=params.query, offset=offset, limit=limit)


def tag_completions(*, prefix: str, limit: int = SUGGESTIONS) -> list[str]:
    """Tags a `#tag` being typed may complete to, most used first (the note composer's)."""
    name = _name_query(prefix)
    return _tags_like(name, limit) if name else []

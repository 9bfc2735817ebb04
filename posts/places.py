"""Places: the same place named by different notes is one Place (posts/models.py).

A note with a place name is attached to the Place of its key: the name folded (width,
case, spacing) and, when the note has coordinates, the cell of about 1 km (0.01 degree)
they fall in. Note create and edit attach it (posts/services.py); migration 0003 did it
for the notes before.
"""

import hashlib
import math
import unicodedata

from posts.models import Place

CELLS_PER_DEGREE = 100  # 0.01 degree: about 1.1 km of latitude
ATTACH_BATCH = 2000


FOLDED_MAX = 100  # of the key's 140 characters; the rest is the cell


def _folded(name: str) -> str:
    """The name as a key holds it. Folding can lengthen it (NFKC, casefold: "ß" -> "ss"), so a
    long one is its digest: the same name still gives the same key, and the key fits."""
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    if len(folded) > FOLDED_MAX:
        return "sha1:" + hashlib.sha1(folded.encode()).hexdigest()
    return folded


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return round(lat * CELLS_PER_DEGREE), round(lng * CELLS_PER_DEGREE)


def place_key(*, name: str, lat: float | None, lng: float | None) -> str:
    """The identity of a place: its folded name, and its cell where there are coordinates."""
    if lat is None or lng is None:
        return f"{_folded(name)}|"
    row, column = _cell(lat, lng)
    return f"{_folded(name)}|{row},{column}"


def _keys_around(name: str, lat: float | None, lng: float | None) -> list[str]:
    """The keys a place of this name may already have: its cell and the 8 around it, so a
    note near a cell's edge joins the place its neighbour started (a name alone: one key)."""
    if lat is None or lng is None:
        return [place_key(name=name, lat=None, lng=None)]
    row, column = _cell(lat, lng)
    folded = _folded(name)
    return [f"{folded}|{row + i},{column + j}" for i in (-1, 0, 1) for j in (-1, 0, 1)]


def _nearest(places: list, lat: float | None, lng: float | None):
    """The place of `places` (same name, in the cells around) nearest these coordinates."""
    if lat is None or not places:
        return places[0] if places else None
    return min(places, key=lambda place: (place.lat - lat) ** 2 + (place.lng - lng) ** 2)


def _clean_name(place_name: str) -> str:
    return " ".join((place_name or "").split())


def place_for(*, place_name: str, lat: float | None, lng: float | None) -> Place | None:
    """The Place of a note's location, made on first use; None without a name.

    Call it inside the note's transaction: get_or_create takes a savepoint, so two notes
    naming a new place at once both end up on the one row.
    """
    name = _clean_name(place_name)
    if not name:
        return None
    nearest = _nearest(list(Place.objects.filter(key__in=_keys_around(name, lat, lng))), lat, lng)
    if nearest is not None:
        return nearest
    place, _ = Place.objects.get_or_create(
        key=place_key(name=name, lat=lat, lng=lng), defaults={"name": name, "lat": lat, "lng": lng}
    )
    return place


def places_attach(*, note_model, place_model, notes=None) -> int:
    """Attach every note with a place name (of `notes`, default all) to its Place, in
    batches, as `place_for` would one by one; returns how many were attached. Models
    are passed in, so migration posts 0003 runs it with its historical ones and
    seed_demo with the real ones."""
    named = (notes if notes is not None else note_model.objects.all()).exclude(place_name="").order_by("pk")
    attached, last = 0, 0
    while True:
        rows = list(named.filter(pk__gt=last).values_list("pk", "place_name", "lat", "lng")[:ATTACH_BATCH])
        if not rows:
            return attached
        last = rows[-1][0]
        rows = [(pk, _clean_name(name), lat, lng) for pk, name, lat, lng in rows if _clean_name(name)]
        keys = {key for _, name, lat, lng in rows for key in _keys_around(name, lat, lng)}
        known = {place.key: place for place in place_model.objects.filter(key__in=keys)}
        new, chosen = {}, []
        for pk, name, lat, lng in rows:
            around = [known[key] for key in _keys_around(name, lat, lng) if key in known]
            place = _nearest(around, lat, lng)
            if place is None:
                place = place_model(key=place_key(name=name, lat=lat, lng=lng), name=name, lat=lat, lng=lng)
                known[place.key] = new[place.key] = place
            chosen.append((pk, place.key))
        place_model.objects.bulk_create(new.values(), ignore_conflicts=True)
        ids = {place.key: place.pk for place in known.values() if place.pk}
        ids.update(place_model.objects.filter(key__in=new).values_list("key", "pk"))
        notes_ = [note_model(pk=pk, place_id=ids[key]) for pk, key in chosen]
        note_model.objects.bulk_update(notes_, ["place"], batch_size=500)
        attached += len(notes_)


# --- The place page's map: an SVG drawn on the server, no outside tiles -----------------

KM_PER_DEGREE = 111.195  # of latitude (and of longitude at the equator)
MAP_WIDTH, MAP_HEIGHT = 600, 240
MAP_MIN_HALF_KM = 0.3  # the map shows at least 300 m each side of the place
GRID_STEPS_KM = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)


def _offset_km(place: Place, lat: float, lng: float) -> tuple[float, float]:
    """(east, north) of the place in km: flat-earth, exact enough within a few km."""
    east = (lng - place.lng) * KM_PER_DEGREE * math.cos(math.radians(place.lat))
    return east, (lat - place.lat) * KM_PER_DEGREE


def distance_km(place: Place, note) -> float | None:
    if not (place.has_location and note.has_location):
        return None
    east, north = _offset_km(place, note.lat, note.lng)
    return math.hypot(east, north)


def place_map(place: Place, notes: list) -> dict | None:
    """What templates/posts/_place_map.html draws: the place at the centre, the notes
    around it, a grid of round distances and a scale bar; None for a place without coordinates."""
    if not place.has_location:
        return None
    offsets = [(note, *_offset_km(place, note.lat, note.lng)) for note in notes if note.has_location]
    half_km = max([MAP_MIN_HALF_KM] + [max(abs(east), abs(north)) * 1.15 for _, east, north in offsets])
    scale = (MAP_HEIGHT / 2) / half_km  # px per km, the same both ways
    step = next((s for s in GRID_STEPS_KM if s * scale >= 40), GRID_STEPS_KM[-1])
    cx, cy = MAP_WIDTH / 2, MAP_HEIGHT / 2
    columns = range(-int(cx / (step * scale)), int(cx / (step * scale)) + 1)
    rows = range(-int(cy / (step * scale)), int(cy / (step * scale)) + 1)
    return {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "cx": cx,
        "cy": cy,
        "grid_x": [round(cx + i * step * scale, 1) for i in columns],
        "grid_y": [round(cy + i * step * scale, 1) for i in rows],
        "points": [
            {"note": note, "x": round(cx + east * scale, 1), "y": round(cy - north * scale, 1)}
            for note, east, north in offsets
        ],
        "scale_px": round(step * scale, 1),
        "scale_m": round(step * 1000),
    }

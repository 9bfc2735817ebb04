"""Places: the same place named by different notes is one Place (posts/models.py).

A note with a place name is attached to the Place of its key: the name folded (width,
case, spacing) and, when the note has coordinates, the cell of about 1 km (0.01 degree)
they fall in. Note create and edit attach it (posts/services.py); migration 0003 did it
for the notes before.
"""

import math
import unicodedata

from posts.models import Place

CELLS_PER_DEGREE = 100  # 0.01 degree: about 1.1 km of latitude


def place_key(*, name: str, lat: float | None, lng: float | None) -> str:
    """The identity of a place: its folded name, and its cell where there are coordinates."""
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    if lat is None or lng is None:
        return f"{folded}|"
    return f"{folded}|{round(lat * CELLS_PER_DEGREE)},{round(lng * CELLS_PER_DEGREE)}"


def place_for(*, place_name: str, lat: float | None, lng: float | None) -> Place | None:
    """The Place of a note's location, made on first use; None without a name.

    Call it inside the note's transaction: get_or_create takes a savepoint, so two notes
    naming a new place at once both end up on the one row.
    """
    name = " ".join((place_name or "").split())
    if not name:
        return None
    place, _ = Place.objects.get_or_create(
        key=place_key(name=name, lat=lat, lng=lng), defaults={"name": name, "lat": lat, "lng": lng}
    )
    return place


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

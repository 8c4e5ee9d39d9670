#!/usr/bin/env python3
"""Writes the portal's bundled boundary file (web/maps/vn-provinces.geojson) from a geoBoundaries
GeoJSON of Viet Nam's provinces, reproducibly and with the standard library only.

Usage: scripts/simplify-boundaries.py SOURCE.geojson [OUT.geojson]

What it does, in order, for every feature:
  1. keeps two properties: `name` (geoBoundaries' shapeName) and `iso` (shapeISO);
  2. simplifies every ring with Douglas-Peucker at kTolerance degrees (about 160 m at Huế's
     latitude: enough for an outline under the points, not for measuring);
  3. rounds coordinates to 4 decimals (about 11 m) and drops repeated points;
  4. drops rings left with fewer than 4 points and islands smaller than kMinIslandArea.
The FeatureCollection carries the source, licence and attribution as foreign members (RFC 7946,
section 6.1), so the file says where it came from wherever it is copied. Same input, same output:
no randomness, keys in a fixed order.
"""
import hashlib
import json
import sys

kTolerance = 0.0015  # degrees
kMinIslandArea = 0.0004  # square degrees (about 4.5 km²); the largest ring of a unit is always kept
kDecimals = 4

SOURCE = {
    "name": "geoBoundaries gbOpen VNM ADM1 (boundaryID VNM-ADM1-63759600, built 2023-12-12)",
    "url": "https://www.geoboundaries.org/countryDownloads.html",
    "file": "https://github.com/wmgeolab/geoBoundaries/tree/main/releaseData/gbOpen/VNM/ADM1",
    "upstream": "Wikimedia Commons (public domain), via geoBoundaries",
}
LICENSE = "CC BY 4.0 (geoBoundaries); upstream boundaries in the public domain"
ATTRIBUTION = "Ranh giới / Boundaries: geoBoundaries (CC BY 4.0), www.geoboundaries.org"


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    px, py = x1 + t * dx, y1 + t * dy
    return ((x - px) ** 2 + (y - py) ** 2) ** 0.5


def douglas_peucker(points, tolerance):
    """Iterative Douglas-Peucker; keeps the first and last point."""
    if len(points) < 3:
        return points[:]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = 0, 0.0
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))) / 2


def simplify_ring(ring):
    # A closed ring: split at the point farthest from the start so both halves simplify well.
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    half1 = douglas_peucker(ring[: far + 1], kTolerance)
    half2 = douglas_peucker(ring[far:], kTolerance)
    out = []
    for x, y in half1[:-1] + half2:
        p = [round(x, kDecimals), round(y, kDecimals)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def simplify_polygons(polygons):
    """`polygons`: a list of polygons (lists of rings). Returns the kept ones."""
    largest = max(area(p[0]) for p in polygons)
    kept = []
    for rings in polygons:
        a = area(rings[0])
        if a < kMinIslandArea and a < largest:
            continue
        outer = simplify_ring(rings[0])
        if outer is None:
            continue
        holes = [h for h in (simplify_ring(r) for r in rings[1:] if area(r) >= kMinIslandArea) if h]
        kept.append([outer] + holes)
    return kept


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with open(argv[1], "rb") as f:
        raw = f.read()
    source = json.loads(raw)
    features = []
    for feature in source["features"]:
        g = feature["geometry"]
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        kept = simplify_polygons(polygons)
        geometry = (
            {"type": "Polygon", "coordinates": kept[0]}
            if len(kept) == 1
            else {"type": "MultiPolygon", "coordinates": kept}
        )
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": props["shapeName"], "iso": props.get("shapeISO", "")},
                "geometry": geometry,
            }
        )
    features.sort(key=lambda f: f["properties"]["iso"] + f["properties"]["name"])
    out = {
        "type": "FeatureCollection",
        "source": dict(SOURCE, sha256=hashlib.sha256(raw).hexdigest()),
        "license": LICENSE,
        "attribution": ATTRIBUTION,
        "simplified": "scripts/simplify-boundaries.py (Douglas-Peucker %g°, %d decimals)"
        % (kTolerance, kDecimals),
        "features": features,
    }
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    path = argv[2] if len(argv) > 2 else "web/maps/vn-provinces.geojson"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print("%s: %d features, %d bytes" % (path, len(features), len(text.encode("utf-8")) + 1))


if __name__ == "__main__":
    main(sys.argv)

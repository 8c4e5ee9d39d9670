#!/usr/bin/env python3
"""Writes web/static/share.png: the default image of links shared on social networks (og:image,
1200x630, the size Facebook and Zalo show best). It draws the portal's built-in logo
(web/static/logo.svg: three white bars and an amber dot on the primary blue) large and centred.
Standard library only, so the image can be made again on any machine:
    python3 scripts/make-share-image.py
"""
import os
import struct
import zlib

W, H = 1200, 630
BLUE, WHITE, AMBER = (0x0B, 0x53, 0x94), (0xFF, 0xFF, 0xFF), (0xF5, 0x9E, 0x0B)
# The logo's 64-unit square, scaled to 7 px a unit and centred.
S = 7
OX, OY = (W - 64 * S) // 2, (H - 64 * S) // 2
BARS = [(14, 34, 8, 16), (28, 24, 8, 26), (42, 14, 8, 36)]  # x, y, width, height in logo units
DOT = (50, 14, 5)


def pixel(x, y):
    u, v = (x - OX) / S, (y - OY) / S
    cx, cy, r = DOT
    if (u - cx) ** 2 + (v - cy) ** 2 <= r * r:
        return AMBER
    for bx, by, bw, bh in BARS:
        if bx <= u < bx + bw and by <= v < by + bh:
            return WHITE
    return BLUE


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


rows = b"".join(b"\x00" + bytes(c for x in range(W) for c in pixel(x, y)) for y in range(H))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) +
       chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "web", "static", "share.png")
with open(out, "wb") as f:
    f.write(png)
print(out, len(png), "bytes")

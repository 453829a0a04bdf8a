#!/usr/bin/env python3
"""Makes wwwroot/fonts/icons.woff2: the Material Symbols icons Radzen's components draw, and no others.

Radzen ships the whole Material Symbols font (about 1.07 MB, 3,000+ icons); the dashboard's pages use a few dozen.
The icons are ligatures ("arrow_drop_down" typed in the icon font becomes the arrow), so a plain subset by
characters would keep every icon; this script drops the unwanted ligatures first, then subsets, and fixes the
variable axes at the default outline (FILL 0, weight 400).

The names kept are every icon name Radzen's stylesheet and assembly mention (so components added later keep their
icons) plus EXTRA below. Run it again after a Radzen upgrade:

    apt-get install python3-fonttools python3-brotli
    /usr/bin/python3 IntentVision.Dashboard/Icons/subset-icons.py
"""
import os
import re
import subprocess
import sys

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

RADZEN = os.path.expanduser("~/.nuget/packages/radzen.blazor/13.1.0")
SOURCE = f"{RADZEN}/staticwebassets/fonts/MaterialSymbolsOutlined.woff2"
STYLESHEET = f"{RADZEN}/staticwebassets/css/material-base.css"
ASSEMBLY = f"{RADZEN}/lib/net10.0/Radzen.Blazor.dll"
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "wwwroot", "fonts", "icons.woff2")

# Icons the dashboard's own markup names (RadzenButton Icon="...").
EXTRA = {"search", "add", "refresh", "check", "close", "delete", "edit"}


def wanted_names():
    with open(STYLESHEET, encoding="utf-8-sig") as css:
        names = set(re.findall(r'content:"([a-z0-9_]+)"', css.read()))
    strings = subprocess.run(["strings", "-e", "l", ASSEMBLY], capture_output=True, text=True, check=True).stdout
    names |= {s for s in strings.split() if re.fullmatch(r"[a-z][a-z0-9_]{2,40}", s)}
    return names | EXTRA


def ligature_tables(font):
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = table.ExtSubTable if lookup.LookupType == 7 else table
            if hasattr(table, "ligatures"):
                yield table


def main():
    font = TTFont(SOURCE)
    char_of = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    names = wanted_names()
    kept = set()
    for table in ligature_tables(font):
        for first, ligatures in list(table.ligatures.items()):
            keep = []
            for ligature in ligatures:
                name = "".join(char_of.get(g, "?") for g in [first, *ligature.Component])
                if name in names:
                    keep.append(ligature)
                    kept.add(name)
            table.ligatures[first] = keep

    font = instancer.instantiateVariableFont(font, {"FILL": 0, "wght": 400})
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789_"])
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(TARGET)
    print(f"{len(kept)} icons, {os.path.getsize(TARGET):,} bytes -> {os.path.relpath(TARGET)}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the projects under src/ that import eng/Package.props (the ones `./build.sh pack` packs), in build order."""
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
for project in sorted((root / "src").glob("*/*.csproj")):
    if "eng/Package.props" in project.read_text(encoding="utf-8"):
        print(project)

#!/usr/bin/env python3
"""Write the pages of the local simple index `simple/` over the catalogue in `../find-links/`.

Usage: python3 make-pages.py   (standard library only; the output is deterministic)

One PEP 503 page per package in PACKAGES, linking each file of the catalogue by a relative
`href` with its `#sha256=` digest; the versions in YANKED carry `data-yanked`. uv 0.13.8 reads
these pages with `--index-url ../simple` from a case directory (README.md).
"""

import hashlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))
LINKS = os.path.join(HERE, "..", "find-links")
PACKAGES = ["alphix", "gammot"]
YANKED = {"alphix": {"2.1": "broken build"}}


def main():
    for name in PACKAGES:
        rows = []
        for filename in sorted(os.listdir(LINKS)):
            if not filename.startswith(name + "-"):
                continue
            with open(os.path.join(LINKS, filename), "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            version = filename[len(name) + 1:].split("-")[0].removesuffix(".tar.gz")
            reason = YANKED.get(name, {}).get(version)
            yanked = f' data-yanked="{reason}"' if reason else ""
            rows.append(f'    <a href="../../../find-links/{filename}#sha256={digest}"{yanked}>'
                        f"{filename}</a><br/>")
        page = os.path.join(HERE, "simple", name, "index.html")
        os.makedirs(os.path.dirname(page), exist_ok=True)
        with open(page, "w") as out:
            out.write("<!DOCTYPE html>\n<html>\n  <body>\n" + "\n".join(rows)
                      + "\n  </body>\n</html>\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes uv-observed.tsv from UV-OBSERVED.md: one row per fixture start directory with what
`uv lock` (project discovery) did there. The Rust test `uv_observed` compares wslock against it,
so the comparison with the real uv runs offline in CI. Regenerate after `observe-uv.sh --update`.
"""
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
text = open(os.path.join(here, "UV-OBSERVED.md"), encoding="utf-8").read()
rows = []
for section in re.split(r"^## ", text, flags=re.M)[2:]:
    fixture = section.split("\n", 1)[0].strip()
    starts = re.finditer(
        r"Start directory `([^`]*)`:(.*?)(?=Start directory `|<!-- observed:end)", section, re.S
    )
    for match in starts:
        start, body = match.group(1), match.group(2)
        row = re.search(r"\| `uv lock [^|]*` \| (\d+) \| ([^\n]*)\|", body)
        if not row:
            continue
        code, out = int(row.group(1)), row.group(2)
        if code != 0:
            message = re.sub(r"<br>.*", "", out).replace("&lt;", "<").strip()
            rows.append((fixture, start, str(code), "", message, ""))
            continue
        root = re.search(r"\(root `([^`]*)`\)", out).group(1)
        listed = re.search(r"\[manifest\] members: ([^<|]*)", out)
        if listed and "(absent)" not in listed.group(1):
            members = sorted(name.strip() for name in listed.group(1).split(","))
        else:
            packages = re.search(r"packages: ([^|]*)", out)
            found = packages.group(1) if packages else ""
            members = sorted(re.findall(r"([\w.-]+) \((?:editable|virtual|directory)", found))
        packages = re.search(r"packages: ([^|]*)", out)
        sources = re.findall(
            r"([\w.-]+) \((editable|virtual|directory) ([^)]*)\)", packages.group(1) if packages else ""
        )
        kinds = ",".join(f"{name}={kind}:{path}" for name, kind, path in sorted(sources))
        rows.append((fixture, start, "0", os.path.normpath(root), ",".join(members), kinds))

with open(os.path.join(here, "uv-observed.tsv"), "w", encoding="utf-8") as out:
    out.write(
        "# fixture\tstart\tuv lock exit\troot (uv.lock dir)\tmembers, or the error"
        "\tmember=lock source kind:path relative to the root\n"
    )
    for row in rows:
        out.write("\t".join(row) + "\n")
print(f"{len(rows)} rows")

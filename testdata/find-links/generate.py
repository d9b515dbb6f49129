#!/usr/bin/env python3
"""Generate the fictional find-links catalogue used by the resolver fixtures.

Usage: python3 generate.py [OUTPUT_DIR]   (default: the directory of this script)

Standard library only. The output is deterministic: zip entries are sorted,
stored uncompressed and stamped 1980-01-01 00:00:00; tar members are sorted,
owned by 0:0 with mtime 0 and the gzip header carries no name and mtime 0.
Running the script twice gives byte-identical files. Files it does not know
about are left alone; files it knows about are overwritten.

The catalogue is described in README.md next to this script. None of these
names exist on PyPI (checked when the catalogue was written); keep it that
way when adding packages.
"""

import base64
import gzip
import hashlib
import io
import os
import sys
import tarfile
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def normalize(name):
    """PEP 503 normalisation, then '-' -> '_' as used in file names."""
    out = []
    prev_sep = False
    for ch in name.lower():
        if ch in "-_.":
            if not prev_sep:
                out.append("_")
            prev_sep = True
        else:
            out.append(ch)
            prev_sep = False
    return "".join(out)


def metadata(name, version, requires_python, extras, requires, metadata_version="2.1", dynamic=()):
    lines = [
        f"Metadata-Version: {metadata_version}",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: Fictional test package {name} {version} (wslock testdata)",
    ]
    for field in dynamic:
        lines.append(f"Dynamic: {field}")
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    for extra in extras:
        lines.append(f"Provides-Extra: {extra}")
    for req in requires:
        lines.append(f"Requires-Dist: {req}")
    return "\n".join(lines) + "\n"


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def wheel(out, name, version, requires=(), extras=(), requires_python=None, tags=("py3-none-any",)):
    """Write one wheel. `tags` are the expanded tags written to WHEEL; the file
    name uses the compressed tag set (the first tag when only one)."""
    norm = normalize(name)
    dist_info = f"{norm}-{version}.dist-info"
    tag_in_name = compress_tags(tags)
    filename = f"{norm}-{version}-{tag_in_name}.whl"
    pure = all(t.split("-")[2] == "any" for t in tags)
    wheel_txt = "Wheel-Version: 1.0\nGenerator: wslock-testdata 1\n"
    wheel_txt += f"Root-Is-Purelib: {'true' if pure else 'false'}\n"
    for tag in tags:
        wheel_txt += f"Tag: {tag}\n"
    files = {
        f"{norm}/__init__.py": f'__version__ = "{version}"\n'.encode(),
        f"{dist_info}/METADATA": metadata(name, version, requires_python, extras, requires).encode(),
        f"{dist_info}/WHEEL": wheel_txt.encode(),
    }
    record = "".join(
        f"{path},{record_hash(data)},{len(data)}\n" for path, data in sorted(files.items())
    )
    record += f"{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, files[path])
    write(out, filename, buf.getvalue())


def compress_tags(tags):
    """Compressed tag set for a wheel file name (PEP 425): dot-join each part."""
    if len(tags) == 1:
        return tags[0]
    parts = [[], [], []]
    for tag in tags:
        for i, part in enumerate(tag.split("-")):
            if part not in parts[i]:
                parts[i].append(part)
    return "-".join(".".join(p) for p in parts)


def sdist(
    out, name, version, requires=(), extras=(), requires_python=None, dynamic=(), static_pyproject=True
):
    """Write one sdist `<norm>-<version>.tar.gz` (PEP 625 name) with PKG-INFO
    (Metadata-Version 2.2), a setuptools pyproject.toml and a module.

    `dynamic` lists PKG-INFO fields marked `Dynamic:`. The pyproject.toml lists
    the dependencies statically only when `static_pyproject` is true and
    Requires-Dist is not dynamic; otherwise it declares
    `dynamic = ["dependencies"]` read from requirements.txt (setuptools style).
    uv 0.13.8 takes static metadata from pyproject.toml first, then from a
    PKG-INFO >= 2.2 whose Requires-Dist is not dynamic, and builds otherwise."""
    norm = normalize(name)
    top = f"{norm}-{version}"
    pkg_info = metadata(name, version, requires_python, extras, requires, "2.2", dynamic)
    pyproject = (
        "[build-system]\n"
        'requires = ["setuptools>=61"]\n'
        'build-backend = "setuptools.build_meta"\n'
        "\n[project]\n"
        f'name = "{name}"\n'
        f'version = "{version}"\n'
    )
    static = static_pyproject and "Requires-Dist" not in dynamic
    if static:
        deps = ", ".join(f'"{r}"' for r in requires if "extra ==" not in r)
        pyproject += f"dependencies = [{deps}]\n"
    else:
        pyproject += 'dynamic = ["dependencies"]\n'
    if requires_python:
        pyproject += f'requires-python = "{requires_python}"\n'
    files = {
        f"{top}/PKG-INFO": pkg_info.encode(),
        f"{top}/src/{norm}/__init__.py": f'__version__ = "{version}"\n'.encode(),
    }
    if not static:
        pyproject += (
            "\n[tool.setuptools.dynamic]\n"
            'dependencies = { file = ["requirements.txt"] }\n'
        )
        reqs = "".join(f"{r}\n" for r in requires if "extra ==" not in r)
        files[f"{top}/requirements.txt"] = reqs.encode()
    files[f"{top}/pyproject.toml"] = pyproject.encode()
    dirs = sorted({p.rsplit("/", 1)[0] for p in files} | {top, f"{top}/src"})

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        entries = [(d, None) for d in dirs] + sorted(files.items())
        for path, data in sorted(entries, key=lambda e: e[0]):
            info = tarfile.TarInfo(path)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            else:
                info.mode = 0o644
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    gz = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=gz, compresslevel=9, mtime=0) as g:
        g.write(raw.getvalue())
    write(out, f"{top}.tar.gz", gz.getvalue())


def write(out, filename, data):
    with open(os.path.join(out, filename), "wb") as f:
        f.write(data)


def catalogue(out):
    # alphix: the base library; target of the diamond and of every fork case.
    for v in ["1.0", "1.1", "2.0", "2.1"]:
        wheel(out, "alphix", v, requires_python=">=3.9")

    # betrix / gammot: the two sides of the diamond on alphix.
    wheel(out, "betrix", "1.0", ["alphix>=1.0,<2.0"], requires_python=">=3.9")
    wheel(out, "betrix", "2.0", ["alphix>=1.1,<2.1"], requires_python=">=3.9")
    wheel(out, "gammot", "1.0", ["alphix>=1.0"], requires_python=">=3.9")
    wheel(out, "gammot", "1.5", ["alphix>=2.0"], requires_python=">=3.9")

    # delta-lib: stable 1.0 and a newer pre-release only (hyphenated name).
    wheel(out, "delta-lib", "1.0", requires_python=">=3.9")
    wheel(out, "delta-lib", "2.0b1", requires_python=">=3.9")

    # epsilux: the only version >=1.0 is a pre-release.
    wheel(out, "epsilux", "0.9", requires_python=">=3.9")
    wheel(out, "epsilux", "1.0rc1", requires_python=">=3.9")

    # zetrix: only pre-releases exist at all.
    wheel(out, "zetrix", "0.1a1", requires_python=">=3.9")
    wheel(out, "zetrix", "0.2b1", requires_python=">=3.9")

    # thetamo: newest version needs a newer Python than the older ones.
    wheel(out, "thetamo", "1.0", requires_python=">=3.9")
    wheel(out, "thetamo", "1.1", requires_python=">=3.9")
    wheel(out, "thetamo", "2.0", requires_python=">=3.12")

    # omegal: exists only for Python >=3.13.
    wheel(out, "omegal", "1.0", requires_python=">=3.13")

    # iotrex: extras (one pulling a range of alphix, one a marker-heavy package).
    wheel(out, "iotrex", "1.0", ["alphix>=1.0"], ["fast"], ">=3.9")
    wheel(
        out, "iotrex", "1.1",
        ["alphix>=1.0", "alphix>=2.0; extra == 'fast'", "kappaly>=1.0; extra == 'cli'"],
        ["cli", "fast"],
        ">=3.9",
    )

    # kappaly: one dependency per marker variable.
    wheel(
        out, "kappaly", "1.0",
        [
            "chiro; sys_platform == 'win32'",
            "lambdor; platform_system == 'Darwin'",
            "nuxel>=1.0; python_version < '3.11'",
            "pirelo; os_name == 'nt'",
            "taurel; platform_machine == 'aarch64'",
        ],
        requires_python=">=3.9",
    )
    wheel(out, "chiro", "1.0", requires_python=">=3.9")
    wheel(out, "lambdor", "1.0", requires_python=">=3.9")
    wheel(out, "nuxel", "1.0", requires_python=">=3.9")
    wheel(out, "nuxel", "1.2", requires_python=">=3.9")
    wheel(out, "pirelo", "1.0", requires_python=">=3.9")
    # taurel: a pure wheel plus a platform wheel with a compressed tag set.
    wheel(out, "taurel", "1.0", requires_python=">=3.9")
    wheel(
        out, "taurel", "1.0",
        requires_python=">=3.9",
        tags=(
            "cp39-abi3-manylinux_2_17_aarch64",
            "cp39-abi3-manylinux2014_aarch64",
        ),
    )

    # psiko: its own dependency on alphix differs by sys_platform (forks).
    wheel(
        out, "psiko", "1.0",
        ["alphix>=1.0,<2.0; sys_platform == 'win32'", "alphix>=2.0; sys_platform != 'win32'"],
        requires_python=">=3.9",
    )

    # upsilor: the same split written with platform_system.
    wheel(
        out, "upsilor", "1.0",
        [
            "alphix<2.0; platform_system == 'Windows'",
            "alphix>=2.0; platform_system != 'Windows'",
            "lambdor; platform_system == 'Darwin'",
        ],
        requires_python=">=3.9",
    )

    # rhoban: wheels for 1.0 and 1.1, sdist for 1.1 (fully static), and 1.2
    # only as an sdist whose static metadata is in PKG-INFO alone (2.2,
    # Requires-Dist not dynamic; pyproject.toml has dynamic dependencies).
    wheel(out, "rhoban", "1.0", requires_python=">=3.9")
    wheel(out, "rhoban", "1.1", ["nuxel>=1.0"], requires_python=">=3.9")
    sdist(out, "rhoban", "1.1", ["nuxel>=1.0"], requires_python=">=3.9")
    sdist(out, "rhoban", "1.2", ["nuxel>=1.2"], requires_python=">=3.9", static_pyproject=False)

    # omicrox: sdist only, Requires-Dist dynamic (needs a build to resolve).
    sdist(out, "omicrox", "1.0", ["alphix"], requires_python=">=3.9", dynamic=("Requires-Dist",))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    catalogue(out)


if __name__ == "__main__":
    main()

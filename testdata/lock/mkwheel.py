"""Writes the find-links directory the reference scenarios were locked against.

    python3 mkwheel.py DIR

Tiny wheels (metadata only) and one sdist. uv records no hash for find-links files, so the bytes
of these archives never reach a lock; only names, versions and metadata matter.
"""
import base64, hashlib, io, os, sys, tarfile, zipfile


def wheel(out, name, version, requires=(), extras=(), requires_python=None):
    norm = name.replace("-", "_")
    info = f"{norm}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        meta += f"Requires-Python: {requires_python}\n"
    meta += "".join(f"Provides-Extra: {e}\n" for e in extras)
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {
        f"{norm}/__init__.py": "",
        f"{info}/METADATA": meta,
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: x\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = ""
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record += f"{path},sha256={digest},{len(text)}\n"
    files[f"{info}/RECORD"] = record + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(out, f"{norm}-{version}-py3-none-any.whl"), "w") as archive:
        for path, text in files.items():
            archive.writestr(zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0)), text)


def sdist(out, name, version):
    base = f"{name}-{version}"
    with tarfile.open(os.path.join(out, f"{base}.tar.gz"), "w:gz") as archive:
        for path, text in {
            f"{base}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            f"{base}/pyproject.toml": f"[project]\nname = '{name}'\nversion = '{version}'\n",
        }.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def main(out):
    os.makedirs(out, exist_ok=True)
    for version in ["1.0", "2.0"]:
        wheel(out, "colorama", version)
    wheel(out, "numpy", "1.26.0", requires_python=">=3.9")
    wheel(out, "numpy", "2.1.0", requires_python=">=3.10")
    wheel(out, "requests", "2.31.0", extras=["socks"],
          requires=["idna>=2", "colorama; sys_platform == 'win32'", "pysocks; extra == 'socks'"])
    wheel(out, "idna", "3.6")
    sdist(out, "idna", "3.6")
    wheel(out, "pysocks", "1.7.1")
    wheel(out, "attrs", "23.1.0")
    wheel(out, "attrs", "22.2.0")
    for i in range(1, 13):
        wheel(out, f"m{i}", "1.0")


if __name__ == "__main__":
    main(sys.argv[1])

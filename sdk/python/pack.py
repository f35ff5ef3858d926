#!/usr/bin/env python3
"""Builds lathe_sdk's wheel and sdist with the standard library alone (zipfile, tarfile): nothing is downloaded.

Usage: pack.py VERSION OUTDIR [--license FILE] [--epoch SECONDS]
VERSION is the release's (X.Y.Z or X.Y.Z-LABEL; a label becomes a PEP 440 local version, X.Y.Z+LABEL). Every entry's
time is --epoch (the commit's), names are sorted, owners are 0: the same commit gives the same files.
"""

import argparse
import base64
import gzip
import hashlib
import io
import re
import sys
import tarfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "lathe_sdk"


def pep440(version: str) -> str:
    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?", version):
        sys.exit(f"pack.py: version '{version}' is not X.Y.Z or X.Y.Z-LABEL")
    base, _, label = version.partition("-")
    return base + ("+" + re.sub(r"[^0-9A-Za-z]+", ".", label).strip(".") if label else "")


def sources(version: str) -> dict[str, bytes]:
    """The package's files by their path in it, with the version written into __init__.py."""
    files = {}
    for path in sorted((HERE / NAME).iterdir()):
        if path.is_file() and not path.is_symlink() and (path.suffix == ".py" or path.name == "py.typed"):
            files[f"{NAME}/{path.name}"] = path.read_bytes()
    init = files[f"{NAME}/__init__.py"].decode("utf-8")
    init, count = re.subn(r'(?m)^__version__ = "[^"]*"$', f'__version__ = "{version}"', init)
    if count != 1:
        sys.exit("pack.py: lathe_sdk/__init__.py has no __version__ line")
    files[f"{NAME}/__init__.py"] = init.encode("utf-8")
    return files


def metadata(version: str) -> str:
    project = (HERE / "pyproject.toml").read_text(encoding="utf-8")
    summary = re.search(r'(?m)^description = "([^"]*)"$', project).group(1)
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    return (f"Metadata-Version: 2.1\nName: lathe-sdk\nVersion: {version}\nSummary: {summary}\nLicense: MIT\n"
            "Requires-Python: >=3.11\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Typing :: Typed\n"
            f"Description-Content-Type: text/markdown\n\n{readme}")


def wheel(version: str, files: dict[str, bytes], license_text: bytes, out: Path, epoch: int) -> Path:
    info = f"{NAME}-{version}.dist-info"
    entries = dict(files)
    entries[f"{info}/METADATA"] = metadata(version).encode("utf-8")
    entries[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: lathe pack.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries[f"{info}/licenses/LICENSE"] = license_text
    record = []
    for name, data in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    target = out / f"{NAME}-{version}-py3-none-any.whl"
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip times start in 1980
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():  # RECORD last, as installers expect
            entry = zipfile.ZipInfo(name, stamp)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(entry, data)
    return target


def sdist(version: str, files: dict[str, bytes], license_text: bytes, out: Path, epoch: int) -> Path:
    root = f"{NAME}-{version}"
    project = (HERE / "pyproject.toml").read_text(encoding="utf-8")
    project, count = re.subn(r'(?m)^version = "[^"]*"$', f'version = "{version}"', project)
    if count != 1:
        sys.exit("pack.py: pyproject.toml has no version line")
    entries = {"PKG-INFO": metadata(version).encode("utf-8"), "pyproject.toml": project.encode("utf-8"),
               "README.md": (HERE / "README.md").read_bytes(), "LICENSE": license_text, **files}
    target = out / f"{root}.tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(entries):
            data = entries[name]
            entry = tarfile.TarInfo(f"{root}/{name}")
            entry.size, entry.mtime, entry.mode = len(data), epoch, 0o644
            entry.uid = entry.gid = 0
            entry.uname = entry.gname = ""
            tar.addfile(entry, io.BytesIO(data))
    with open(target, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=epoch) as z:
        z.write(raw.getvalue())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="lathe_sdk's wheel and sdist, standard library only")
    parser.add_argument("version")
    parser.add_argument("out", type=Path)
    parser.add_argument("--license", type=Path, default=HERE.parent.parent / "LICENSE")
    parser.add_argument("--epoch", type=int, default=0)
    args = parser.parse_args()
    version = pep440(args.version)
    args.out.mkdir(parents=True, exist_ok=True)
    files = sources(version)
    license_text = args.license.read_bytes()
    for made in (wheel(version, files, license_text, args.out, args.epoch), sdist(version, files, license_text, args.out, args.epoch)):
        print(made.name)


if __name__ == "__main__":
    main()

"""Check what the built sdist and wheel hold: ``python .ci/check_dist.py dist``.

``twine check`` looks at the metadata; this looks inside the archives. The wheel must
carry the licence, the ``py.typed`` marker (so type checkers read our hints) and the
data files the package reads, and nothing from outside the package; the sdist the
licence; both the version written in ``vae_augment/_version.py``.
"""

from __future__ import annotations

import ast
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

ROOT = Path(__file__).parents[1]
LICENSE = "BSD-3-Clause"
#: Files of the package that must be in the wheel, besides the modules.
PACKAGE_FILES = ("vae_augment/py.typed", "vae_augment/datasets/data/penguins.csv")


def source_version() -> str:
    """The version in ``vae_augment/_version.py`` (read, not imported)."""
    tree = ast.parse((ROOT / "vae_augment" / "_version.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "__version__":
            return node.value.value
    raise SystemExit("vae_augment/_version.py sets no __version__")


def check_metadata(text: str, where: str, version: str) -> list[str]:
    """Problems with a ``METADATA`` or ``PKG-INFO`` file's licence and version."""
    headers = HeaderParser().parsestr(text)
    problems = []
    if headers["Version"] != version:
        problems.append(f"{where}: version {headers['Version']}, _version.py {version}")
    if headers["License-Expression"] != LICENSE:
        problems.append(f"{where}: License-Expression is {headers['License-Expression']}")
    if "LICENSE" not in (headers.get_all("License-File") or []):
        problems.append(f"{where}: no License-File: LICENSE")
    return problems


def check_wheel(path: Path, version: str) -> list[str]:
    """Problems with the wheel's files and metadata."""
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        dist_info = f"vae_augment-{version}.dist-info"
        required = [*PACKAGE_FILES, f"{dist_info}/licenses/LICENSE"]
        problems = [f"{path.name}: no {name}" for name in required if name not in names]
        foreign = sorted({n.split("/")[0] for n in names} - {"vae_augment", dist_info})
        if foreign:
            problems.append(f"{path.name}: files outside the package: {foreign}")
        metadata = wheel.read(f"{dist_info}/METADATA").decode()
    return problems + check_metadata(metadata, f"{path.name} METADATA", version)


def check_sdist(path: Path, version: str) -> list[str]:
    """Problems with the sdist's licence and metadata."""
    top = f"vae_augment-{version}"
    with tarfile.open(path) as sdist:
        names = sdist.getnames()
        problems = [] if f"{top}/LICENSE" in names else [f"{path.name}: no {top}/LICENSE"]
        metadata = sdist.extractfile(f"{top}/PKG-INFO").read().decode()
    return problems + check_metadata(metadata, f"{path.name} PKG-INFO", version)


def main(folder: str) -> int:
    """Check the one wheel and the one sdist in ``folder``; 0 when both are right."""
    version = source_version()
    wheels = sorted(Path(folder).glob("*.whl"))
    sdists = sorted(Path(folder).glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"{folder} must hold one wheel and one sdist: {wheels + sdists}")
        return 1
    problems = check_wheel(wheels[0], version) + check_sdist(sdists[0], version)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{wheels[0].name} and {sdists[0].name}: licence, py.typed, data, version")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "dist"))

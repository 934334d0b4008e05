"""The documentation site is right about the API: its snippets run, its reference is whole.

Each page's code blocks run in order, as a reader would run them, in a fresh folder and
with fits cut to a few epochs: ``python`` blocks in one namespace, and the
``vae-augment`` commands of ``bash`` blocks through the command line's ``main`` (other
shell lines, such as ``pip install``, are not run). A block right after an
``<!-- skip: why -->`` line is not run (for code that needs a GPU, for instance).
"""

import logging
import re
import shlex
from pathlib import Path

import pytest

import vae_augment
from vae_augment import VAEAugmenter
from vae_augment.cli.main import main

DOCS = Path(__file__).parents[2] / "docs"
_BLOCK = re.compile(
    r"^(<!-- skip: [^\n]*-->\n)?```(python|bash)\n(.*?)^```$", re.MULTILINE | re.DOTALL
)
#: Optional packages a page's snippets need, by a string that shows the page uses them.
_NEEDS = {
    "imblearn": "imblearn",
    "plot_": "matplotlib",
    "vae-augment report": "matplotlib",
    ".parquet": "pyarrow",
    "dask.dataframe": "dask",
    "import polars": "polars",
}


def _blocks(page: Path) -> list[tuple[str, int, str]]:
    """The runnable code blocks of ``page``: language, lines before it, code."""
    text = page.read_text()
    return [
        (match.group(2), text.count("\n", 0, match.start(3)), match.group(3))
        for match in _BLOCK.finditer(text)
        if not match.group(1)
    ]


def _commands(script: str) -> list[list[str]]:
    """The ``vae-augment`` command lines of a shell script, as argument lists."""
    lines = script.replace("\\\n", " ").splitlines()
    return [
        shlex.split(line, comments=True)[1:]
        for line in lines
        if line.startswith("vae-augment ")
    ]


PAGES = [p for p in sorted(DOCS.rglob("*.md")) if _blocks(p)]


@pytest.fixture
def quick_fits(monkeypatch):
    """Cap every VAEAugmenter fit at 3 epochs: the snippets' API, not their quality."""
    fit = VAEAugmenter.fit

    def quick_fit(self, X, y=None):
        self.max_epochs = min(self.max_epochs, 3)
        return fit(self, X, y)

    monkeypatch.setattr(VAEAugmenter, "fit", quick_fit)


@pytest.fixture
def own_log_level():
    """Give ``vae_augment``'s logger back its level after a page that sets it."""
    logger = logging.getLogger("vae_augment")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_snippets_run(page, quick_fits, own_log_level, tmp_path, monkeypatch):
    text = page.read_text()
    for needle, module in _NEEDS.items():
        if needle in text:
            pytest.importorskip(module)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__docs__"}
    for language, n_lines_before, code in _blocks(page):
        if language == "python":
            # Padding makes tracebacks point at the page's own line numbers.
            exec(compile("\n" * n_lines_before + code, str(page), "exec"), namespace)
        for argv in _commands(code) if language == "bash" else []:
            assert main(argv) == 0, f"{page}: vae-augment {shlex.join(argv)}"


def test_api_reference_documents_every_public_name():
    text = (DOCS / "api.md").read_text()
    documented = re.findall(r"^::: vae_augment\.(\w+)$", text, re.MULTILINE)
    assert sorted(documented) == sorted(vae_augment.__all__)


# ------------------------------------------------------------------ README links
ROOT = DOCS.parent
#: Inline links and images, reference definitions, autolinks, HTML href/src.
_LINK_TARGETS = re.compile(
    r"\]\(\s*<?([^)\s>]+)"
    r"|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)"
    r"|<([a-z][a-z0-9+.-]*:[^>\s]+)>"
    r"|(?:href|src)=[\"']([^\"']+)",
    re.MULTILINE | re.IGNORECASE,
)


def _setting(path: Path, pattern: str) -> str:
    match = re.search(pattern, path.read_text(), re.MULTILINE)
    assert match, f"{path.name} has no {pattern}"
    return match.group(1).rstrip("/") + "/"


SITE = _setting(ROOT / "mkdocs.yml", r"^site_url:\s*(\S+)")
REPOSITORY = _setting(ROOT / "mkdocs.yml", r"^repo_url:\s*(\S+)")


def _link_targets(text: str) -> list[str]:
    return [next(t for t in match.groups() if t) for match in _LINK_TARGETS.finditer(text)]


def test_link_finder_sees_every_form_of_link():
    text = (
        "[a](docs/x.md) ![b](<img/y.png>)\n[c]: CONTRIBUTING.md\n"
        '<https://example.org/z> <img src="docs/img/w.png">'
    )
    assert _link_targets(text) == [
        "docs/x.md",
        "img/y.png",
        "CONTRIBUTING.md",
        "https://example.org/z",
        "docs/img/w.png",
    ]


def test_readme_links_are_absolute():
    """A package index shows the README without the repository: relative links break."""
    targets = _link_targets((ROOT / "README.md").read_text())
    assert targets, "the README lost its links"
    relative = [t for t in targets if not t.startswith(("https://", "http://", "mailto:"))]
    assert relative == [], f"README links that only work inside the repository: {relative}"


def _local_path(url: str) -> Path | None:
    """The file of this checkout that a link to the docs site or the repository shows."""
    url = url.split("#")[0]
    if url.startswith(SITE):
        page = url.removeprefix(SITE).strip("/")
        if not page:
            return DOCS / "index.md"
        candidates = [DOCS / f"{page}.md", DOCS / page / "index.md", DOCS / page]
        return next((p for p in candidates if p.exists()), candidates[0])
    for kind in ("blob/main/", "tree/main/"):
        if url.startswith(REPOSITORY + kind):
            return ROOT / url.removeprefix(REPOSITORY + kind)
    return None


def test_readme_links_into_the_project_point_at_files_that_exist():
    targets = _link_targets((ROOT / "README.md").read_text())
    ours = {t: _local_path(t) for t in targets if t.startswith((SITE, REPOSITORY))}
    assert ours, "the README links neither to the docs site nor to the repository"
    missing = [t for t, path in ours.items() if path is None or not path.exists()]
    assert missing == [], f"README links to pages or files that do not exist: {missing}"


def test_project_urls_match_the_docs_site():
    pyproject = ROOT / "pyproject.toml"
    assert _setting(pyproject, r'^Documentation = "([^"]+)"') == SITE
    assert _setting(pyproject, r'^Source = "([^"]+)"') == REPOSITORY

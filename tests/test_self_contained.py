"""The project reads nothing outside its own tree: a fresh clone with nothing beside
it must build, run and pass its tests.

Scans the text of every file under src/, tests/, bench/ and .ci/, and the Makefile,
for a path that leaves the repository: the team's folders beside the checkout, a
home or workspace folder of one machine, or `Path(__file__)` climbing above the root.
System paths (/usr, /tmp) and the user's own folders by name (~/.config) are fine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "tests", "bench", ".ci", "Makefile")
SKIPPED_DIRS = {"__pycache__", "__snapshots__", "media"}

# Each pattern is written so that it does not match its own source text.
OUTSIDE = {
    "a folder beside the checkout": re.compile(r"\.\./+(?:shared|main|wt)\b"),
    "the team's shared folder": re.compile(r"\bshared/+(?:contract|reference|design)"),
    "a workspace path of one machine": re.compile(r"(?<![\w.])/wor[k]/"),
    "a home folder of one machine": re.compile(r"(?<![\w.])/(?:home/+[\w.-]+|roo[t]/|Users/+\w)"),
}
# Path(__file__).parents[N] and Path(__file__).parent.parent...: checked against the file.
FROM_FILE = re.compile(
    r"Path\(__file__\)(?:\.resolve\(\)|\.absolute\(\))?"
    r"(?:\.parents\[(?P<index>\d+)\]|(?P<chain>(?:\.parent)+))"
)


def scanned_files() -> list[Path]:
    found = []
    for name in SCANNED:
        top = ROOT / name
        if top.is_file():
            found.append(top)
            continue
        for path in sorted(top.rglob("*")):
            if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                found.append(path)
    return found


def outside_paths(path: Path, text: str) -> list[str]:
    """What in `text` (the content of `path`) names a path outside the repository."""
    problems = []
    for line_no, line in enumerate(text.splitlines(), 1):
        for what, pattern in OUTSIDE.items():
            problems += [f"{line_no}: {what}: {m[0]!r}" for m in pattern.finditer(line)]
        for m in FROM_FILE.finditer(line):
            up = int(m["index"]) + 1 if m["index"] else m["chain"].count(".parent")
            here = path.resolve()
            target = here.parents[up - 1] if up <= len(here.parents) else Path("/")
            if not target.is_relative_to(ROOT):
                problems.append(f"{line_no}: climbs {up} folders above the file: {m[0]!r}")
    return problems


def test_no_project_file_names_a_path_outside_the_repository() -> None:
    problems = []
    files = scanned_files()
    for path in files:
        data = path.read_bytes()
        if b"\0" in data:
            continue  # audio and other binary files
        text = data.decode("utf-8", errors="replace")
        problems += [f"{path.relative_to(ROOT)}:{p}" for p in outside_paths(path, text)]
    assert len(files) > 50, f"only {len(files)} files scanned: is {ROOT} the repository?"
    assert not problems, "paths outside the repository:\n" + "\n".join(problems)


# Built from pieces, so that this file does not name them itself.
FILE = "Path(__" + "file__)"


@pytest.mark.parametrize(
    "line",
    [
        "open('../" + "shared/" + "contract/yourmusic-routes.md')",
        'ROOT.parent / "' + "shared/" + 'reference/api-facts.md"',
        "cd /" + "work/main && make",
        'Path("/' + 'home/alice/music")',
        "/" + "root/.cache/setlist",
        "CONTRACT = " + FILE + ".resolve().parents[2] / 'x.md'",
        FILE + ".parent.parent.parent / 'x.md'",
    ],
)
def test_the_guard_sees_each_kind_of_outside_path(line: str) -> None:
    assert outside_paths(ROOT / "tests" / "test_x.py", line), line


@pytest.mark.parametrize(
    "line",
    [
        "DOCUMENT = " + FILE + '.resolve().parents[1] / "assets" / "x.yaml"',
        "runtime = Path(tempfile.mkdtemp(dir='/tmp'))",
        '"PATH": os.environ.get("PATH", "/usr/bin:/bin")',
        "The config file is at ~/.config/setlist/config.toml",
        "../hi/index.m3u8",
        'if text.startswith(("/", "./", "../", "~")):',
    ],
)
def test_the_guard_lets_paths_inside_or_of_the_system_be(line: str) -> None:
    assert not outside_paths(ROOT / "tests" / "test_x.py", line), line

"""The README and the docs lead somewhere: every relative link reaches a file of the
repository (and the heading it names), no link leaves the repository, every doc is linked
from the README, and every file, management command and make target a doc names exists — so
a renamed module or a moved section fails here rather than in a reader's hands."""

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

BASE = Path(settings.BASE_DIR).resolve()
README = BASE / "README.md"
DOCS = sorted((BASE / "docs").glob("*.md"))
PAGES = [README, *DOCS]

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
# A repository path in a code span: at least one folder, then a file with one of these
# extensions (a bare module name is relative to the app its row or sentence names).
REPO_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+\.(py|md|html|txt|toml|yml|js|css)$")


def relative(path):
    return path.relative_to(BASE).as_posix()


@cache
def text(path):
    return path.read_text(encoding="utf-8")


def prose(path):
    """The page without its fenced code blocks (examples, not links)."""
    return FENCE.sub("", text(path))


def slug(heading):
    """The anchor GitHub (and most Markdown renderers) give a heading: lower case, every
    character but letters, marks, digits, connectors, spaces and hyphens dropped, spaces
    made hyphens."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    kept = "".join(
        char
        for char in heading
        if char in " -" or unicodedata.category(char)[0] in "LMN" or char == "_"
    )
    return kept.replace(" ", "-")


@cache
def anchors(path):
    """The anchors of a page's headings (a repeated heading gets -1, -2…, as on GitHub)."""
    found, seen = set(), {}
    for _, heading in HEADING.findall(prose(path)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path):
    """Every link target of a page outside code (inline code spans included)."""
    return LINK.findall(CODE_SPAN.sub("", prose(path)))


def test_the_slugs_are_githubs():
    assert slug("Mon équipe: invitations, links") == "mon-équipe-invitations-links"
    assert slug("The `scheduler` and cron (no Docker)") == "the-scheduler-and-cron-no-docker"
    assert slug("Import / export") == "import--export"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_link_reaches_a_file_and_heading_of_the_repository(page):
    wrong = []
    for target in links(page):
        if re.match(r"^[a-z]+:", target):  # https:, mailto:…
            continue
        address, _, anchor = target.partition("#")
        reached = (page.parent / address).resolve() if address else page
        if not reached.is_relative_to(BASE):
            wrong.append(f"{target}: outside the repository")
        elif not reached.exists():
            wrong.append(f"{target}: no such file")
        elif anchor and reached.suffix == ".md" and anchor not in anchors(reached):
            wrong.append(f"{target}: no heading #{anchor} in {relative(reached)}")
    assert not wrong, f"{relative(page)} has broken links:\n  " + "\n  ".join(wrong)


def test_the_readme_links_every_doc():
    linked = {(BASE / target.partition("#")[0]).resolve() for target in links(README)}
    missing = [relative(doc) for doc in DOCS if doc not in linked]
    assert not missing, f"docs the README does not link to: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_file_a_page_names_exists(page):
    named = {span for span in CODE_SPAN.findall(text(page)) if REPO_PATH.match(span)}
    missing = sorted(
        name for name in named if not (BASE / name).exists() and not (page.parent / name).exists()
    )
    assert not missing, f"{relative(page)} names files that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_command_and_make_target_a_page_names_exists(page):
    commands = set(get_commands())
    targets = set(re.findall(r"^([a-z][a-z-]*):", text(BASE / "Makefile"), re.M))
    page_text = text(page)
    unknown = sorted(
        {f"manage.py {name}" for name in re.findall(r"manage\.py ([a-z_]+)", page_text)}
        - {f"manage.py {name}" for name in commands}
    ) + sorted(
        {f"make {name}" for name in re.findall(r"`make ([a-z][a-z-]*)", page_text)}
        - {f"make {name}" for name in targets}
    )
    assert not unknown, f"{relative(page)} names what does not exist: {unknown}"

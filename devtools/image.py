"""The production image's inputs, read without a Docker engine: the files a build sends
(the build context, after `.dockerignore`), the Dockerfile's instructions and the sources its
COPY lines take from the context.

The context is computed by the Docker SDK for Python (`docker.utils.build.exclude_paths`, the
function its own `build()` uses to pack a context), which applies `.dockerignore` as the
Docker engine does: patterns are anchored at the context's root (`*.pyc` is only the top
folder's, `**/*.pyc` any folder's), a pattern that matches a folder leaves out everything
inside it, and `!pattern` lets back in what an earlier line left out; the last matching line
wins. One difference from BuildKit, harmless here: the SDK always sends the Dockerfile and
`.dockerignore` themselves (BuildKit reads them apart from the context). Git's rules
(gitignore, `pathspec`) differ more: there a pattern without a slash matches at any depth, and
a file inside a folder left out cannot be let back in.

    python -m devtools.image   # the files a `docker build .` would send, then the verdict
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from docker.utils.build import exclude_paths

ROOT = Path(__file__).resolve().parent.parent

# The lock of the runtime dependencies the image installs (devtools/lockfile.py).
LOCK = "requirements/base.txt"

# Releases a base image tag may name (Debian's codenames, Alpine's versions).
RELEASES = r"bullseye|bookworm|trixie|forky|duke|alpine\d+\.\d+"

# What must never reach an image, as (glob on the path relative to the context, why). A
# path is refused when it or one of its folders matches.
NEVER_SENT = [
    (".env", "the environment file holds the production secrets"),
    (".env.*", "an environment file may hold secrets"),
    ("backups", "database dumps hold personal data"),
    ("*.sqlite3", "a SQLite database holds personal data"),
    ("*.sqlite3-*", "a SQLite journal holds personal data"),
    (".venv", "a virtual environment of another machine"),
    (".git", "the repository's history (and its configuration)"),
    ("media", "uploaded files belong to the media volume"),
    ("staticfiles", "collected static files are rebuilt by the image"),
    ("node_modules", "front-end packages of a developer's machine"),
    ("__pycache__", "bytecode of another Python"),
    ("*.pyc", "bytecode of another Python"),
    (".pytest_cache", "test artefacts"),
    ("screenshots", "test artefacts"),
    ("sent-mails", "e-mails written by the development server"),
    ("tests", "the suite and its fixtures stay in the repository"),
    ("conftest.py", "the suite and its fixtures stay in the repository"),
]


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword in capitals and its arguments, continuation
    lines joined, on `line` (the first of its lines)."""

    keyword: str
    arguments: str
    line: int

    @property
    def words(self):
        return self.arguments.split()


def dockerignore_patterns(root=ROOT):
    """The patterns of `.dockerignore`, read as the Docker SDK reads them (blank lines and
    comments dropped, spaces trimmed)."""
    path = Path(root) / ".dockerignore"
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def build_context(root=ROOT):
    """The files (not folders) a `docker build` of `root` sends, as sorted POSIX paths
    relative to `root`."""
    root = Path(root)
    paths = exclude_paths(str(root), dockerignore_patterns(root))
    return sorted(
        PurePosixPath(*Path(path).parts).as_posix()
        for path in paths
        if (root / path).is_file() or (root / path).is_symlink()
    )


def never_sent_reason(path):
    """Why `path` (relative, POSIX) must never be sent to a build, or None."""
    parts = PurePosixPath(path).parts
    for index in range(len(parts)):
        prefix = PurePosixPath(*parts[: index + 1])
        for pattern, reason in NEVER_SENT:
            if prefix.match(pattern) and prefix.name != ".env.example":
                return reason
    return None


def leaks(context):
    """{path: why} of the paths of `context` that must never be sent."""
    return {path: reason for path in context if (reason := never_sent_reason(path))}


def dockerfile_instructions(text):
    """The instructions of a Dockerfile's text, comments dropped, continuation lines
    (ending in a backslash) joined."""
    instructions = []
    pending, first_line = [], None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if first_line is None:
            first_line = number
        continued = line.endswith("\\")
        pending.append(line.removesuffix("\\").strip())
        if continued:
            continue
        keyword, _, arguments = " ".join(pending).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip(), first_line))
        pending, first_line = [], None
    return instructions


def copy_sources(instruction):
    """The context paths a COPY or ADD takes (none for `COPY --from=` another stage)."""
    if instruction.keyword not in {"COPY", "ADD"}:
        return []
    words = instruction.words
    if any(word.startswith("--from") for word in words):
        return []
    arguments = [word for word in words if not word.startswith("--")]
    return [PurePosixPath(source).as_posix().lstrip("/") or "." for source in arguments[:-1]]


def missing_sources(instructions, context):
    """The COPY sources that the context lacks: a file not sent, or a folder with no file
    sent (`COPY` then fails, or copies an empty folder)."""
    missing = []
    for instruction in instructions:
        for source in copy_sources(instruction):
            if source == ".":
                continue
            if re.search(r"[*?\[]", source):
                found = any(PurePosixPath(path).match(source) for path in context)
            else:
                found = source in context or any(
                    path.startswith(source.rstrip("/") + "/") for path in context
                )
            if not found:
                missing.append(source)
    return missing


def base_image_problem(image):
    """Why a FROM image is not pinned, or None: it must name a digest, or a tag with the
    Python version and the Debian release (`python:3.12-slim-trixie`); `python:3.12-slim`
    moves to the next Debian release on its own, `latest` to anything."""
    if re.search(r"@sha256:[0-9a-f]{64}$", image):
        return None
    _, _, tag = image.rpartition(":")
    if "/" in tag or not re.fullmatch(rf"\d+\.\d+(\.\d+)?(-[a-z]+)*-({RELEASES})", tag):
        return f"base image {image} is not pinned (name its version and Debian release)"
    return None


def dockerfile_problems(instructions):
    """What the project asks of its Dockerfile beyond hadolint's rules, one sentence per
    problem (empty when it complies): pinned base images; a non-root user at the end; no ADD
    of a URL; every `pip install` checks hashes (the project's own `--no-deps .` apart); the
    lock (requirements/base.txt) copied and installed before any source, so that a change of
    code does not reinstall the dependencies."""
    problems = []
    for instruction in instructions:
        where = f"line {instruction.line}"
        if instruction.keyword == "FROM":
            image = next(word for word in instruction.words if not word.startswith("--"))
            if problem := base_image_problem(image):
                problems.append(f"{where}: {problem}")
        if instruction.keyword == "ADD" and "://" in instruction.arguments:
            problems.append(f"{where}: ADD of a URL (download in a checked RUN, or COPY)")
        if instruction.keyword == "RUN" and "pip install" in instruction.arguments:
            words = instruction.words
            project_only = words[-1] == "." and "--no-deps" in words
            if "--require-hashes" not in words and not project_only:
                problems.append(f"{where}: pip install without --require-hashes")
    users = [instruction for instruction in instructions if instruction.keyword == "USER"]
    if not users or users[-1].words[0].split(":")[0] in {"root", "0"}:
        problems.append("the image does not end with a non-root USER")
    lock_install = next(
        (
            index
            for index, instruction in enumerate(instructions)
            if instruction.keyword == "RUN"
            and "--require-hashes" in instruction.words
            and LOCK in instruction.words
        ),
        None,
    )
    if lock_install is None:
        problems.append(f"{LOCK} is never installed with --require-hashes")
    else:
        for instruction in instructions[:lock_install]:
            early = [source for source in copy_sources(instruction) if source != LOCK]
            if early:
                problems.append(
                    f"line {instruction.line}: {', '.join(early)} copied before the lock "
                    "is installed (every change of code would reinstall the dependencies)"
                )
    return problems


def main():
    context = build_context()
    print("\n".join(context))
    instructions = dockerfile_instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    problems = [f"{path} is sent: {reason}" for path, reason in leaks(context).items()]
    problems += [
        f"{source}: copied by the Dockerfile, not in the context"
        for source in missing_sources(instructions, context)
    ]
    problems += [f"Dockerfile, {problem}" for problem in dockerfile_problems(instructions)]
    print(f"\n{len(context)} files in the build context", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

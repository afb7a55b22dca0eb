"""The locked requirements: `requirements/base.txt` (what the image installs) and
`requirements/dev.txt` (the same plus the `dev` extra: what `make install` and CI install),
compiled by uv from pyproject.toml, every release pinned with the hashes of all its files.

One universal resolution serves every platform and every Python from MINIMUM_PYTHON on: the
image runs Python 3.12 on Linux (x86_64 or aarch64), developers and CI 3.11. The dev lock is
compiled under the constraint of the base lock, so a package present in both has the same
version in both. The project's build backend (pyproject's `build-system.requires`) is locked
too: the image and `make install` build the project without fetching anything unpinned.

Each lock records the digest of the pyproject.toml tables it was compiled from
(`inputs_digest`), so a test sees that a dependency was added, removed or changed since the
last `make lock` without recompiling (which needs the network).

    python -m devtools.lockfile            # what `make lock` runs: the versions already
                                           # locked are kept where pyproject still allows them
    python -m devtools.lockfile --upgrade  # the newest versions pyproject.toml allows
    python -m devtools.lockfile --upgrade-package django   # one package only
    python -m devtools.lockfile --check    # offline: does each lock agree with pyproject?
"""

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements"

# Lock name: the extras of pyproject.toml it holds besides the runtime dependencies.
LOCKS = {"base": (), "dev": ("dev",)}

# The oldest Python the locks serve: some locked releases (soupsieve…) need 3.11.5.
MINIMUM_PYTHON = "3.11.5"

DIGEST_LINE = "# Compiled from pyproject.toml, inputs sha256: "

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def lock_path(name):
    """The file of the lock `name` ("base" or "dev")."""
    return REQUIREMENTS / f"{name}.txt"


def inputs(pyproject_text):
    """What decides the locks in pyproject.toml: the supported Pythons, the dependencies,
    the extras and the build backend (comments, descriptions and tool settings do not)."""
    data = tomllib.loads(pyproject_text)
    project = data["project"]
    return {
        "requires-python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-system.requires": data.get("build-system", {}).get("requires", []),
        "minimum-python": MINIMUM_PYTHON,
    }


def inputs_digest(pyproject_text):
    """The sha256 of `inputs(pyproject_text)`, the same whatever the order of the tables."""
    canonical = json.dumps(inputs(pyproject_text), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def recorded_digest(lock_text):
    """The inputs digest a lock was compiled from, or None for a lock without one."""
    for line in lock_text.splitlines():
        if line.startswith(DIGEST_LINE):
            return line.removeprefix(DIGEST_LINE).strip()
    return None


def pins(lock_text):
    """{canonical package name: pinned Version} of a lock (a package pinned under an
    environment marker counts too)."""
    return {
        canonicalize_name(match[1]): Version(match[2])
        for line in lock_text.splitlines()
        if (match := PIN.match(line))
    }


def requirements(pyproject_text, extras=()):
    """The top-level requirements of the lock holding `extras`: the runtime dependencies,
    those of the extras and the build backend, as packaging Requirements."""
    data = inputs(pyproject_text)
    lines = list(data["dependencies"]) + list(data["build-system.requires"])
    for extra in extras:
        lines += data["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def disagreements(pyproject_text, lock_text, extras=()):
    """Why a lock does not hold what pyproject.toml asks for, one sentence per problem: a
    lock compiled from other inputs, a top-level requirement not pinned or pinned outside its
    specifier. Empty when the lock agrees."""
    problems = []
    digest = recorded_digest(lock_text)
    if digest != inputs_digest(pyproject_text):
        problems.append(
            "compiled from another pyproject.toml "
            f"(recorded inputs {digest or 'none'}, now {inputs_digest(pyproject_text)})"
        )
    pinned = pins(lock_text)
    for requirement in requirements(pyproject_text, extras):
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not pinned")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} is pinned at {version}")
    return problems


def uv_binary():
    """The uv of this environment (installed by the dev lock)."""
    from uv import find_uv_bin

    return find_uv_bin()


def compile_command(name, upgrade_args=()):
    """The uv command that compiles the lock `name` (the build backend read from stdin)."""
    command = [
        uv_binary(),
        "pip",
        "compile",
        "pyproject.toml",
        "-",
        "--universal",
        "--python-version",
        MINIMUM_PYTHON,
        "--generate-hashes",
        "--custom-compile-command",
        "make lock",
        "--quiet",
        "--output-file",
        str(lock_path(name).relative_to(ROOT)),
    ]
    for extra in LOCKS[name]:
        command += ["--extra", extra]
    if name != "base":
        command += ["--constraint", str(lock_path("base").relative_to(ROOT))]
    return command + list(upgrade_args)


def stamp(path, digest):
    """Write the inputs digest under the header uv wrote at the top of the lock `path`."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith(DIGEST_LINE)
    ]
    header_end = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
    lines.insert(header_end, DIGEST_LINE + digest)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def compile_locks(upgrade_args=()):
    """Compile every lock from pyproject.toml (base first: the others are constrained by
    it) and stamp each with the digest of its inputs."""
    pyproject_text = PYPROJECT.read_text(encoding="utf-8")
    build_requires = "\n".join(inputs(pyproject_text)["build-system.requires"]) + "\n"
    REQUIREMENTS.mkdir(exist_ok=True)
    for name in LOCKS:
        subprocess.run(
            compile_command(name, upgrade_args),
            cwd=ROOT,
            input=build_requires,
            text=True,
            check=True,
        )
        stamp(lock_path(name), inputs_digest(pyproject_text))
        print(f"{lock_path(name).relative_to(ROOT)}: {len(pins(lock_path(name).read_text()))} pins")


def check():
    """Print why each lock disagrees with pyproject.toml; 1 when one does, else 0."""
    pyproject_text = PYPROJECT.read_text(encoding="utf-8")
    status = 0
    for name, extras in LOCKS.items():
        path = lock_path(name).relative_to(ROOT)
        problems = disagreements(pyproject_text, lock_path(name).read_text(), extras)
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        print(f"{path}: {'run `make lock`' if problems else 'agrees with pyproject.toml'}")
        status = status or int(bool(problems))
    return status


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only, offline")
    parser.add_argument("--upgrade", action="store_true", help="newest allowed versions")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME")
    options = parser.parse_args(argv)
    if options.check:
        return check()
    upgrade_args = ["--upgrade"] if options.upgrade else []
    for name in options.upgrade_package:
        upgrade_args += ["--upgrade-package", name]
    compile_locks(upgrade_args)


if __name__ == "__main__":
    sys.exit(main())

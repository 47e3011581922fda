"""
The layer rules of DESIGN.md that import-linter cannot state (see .importlinter).

- ``credits_xblock`` may import only ``credits_plugin.api`` and ``credits_plugin.data``
  (and ``templates_dir`` from the package root, which has no imports of its own);
- openedx-platform code (``lms``, ``cms``, ``common``, ``openedx``, ``xmodule``) is
  imported only in ``credits_plugin.platform``, and there only inside functions, so
  every module imports cleanly without the platform.

Both read the source with ``ast``: imports inside functions count as much as the others.
"""
import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PLATFORM_PACKAGES = {"lms", "cms", "common", "openedx", "xmodule"}
XBLOCK_MAY_IMPORT = {"credits_plugin.api", "credits_plugin.data", "credits_plugin.templates_dir"}


def module_name(path):
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(*packages):
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imports_of(path):
    """Yield (imported dotted name, line, inside a function?) for every import of the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, child.lineno, in_function
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    yield f"{base}.{alias.name}", child.lineno, in_function
            yield from visit(child, in_function or isinstance(child, functions))

    yield from visit(tree, False)


def describe(path, line, name):
    return f"{path.relative_to(REPO)}:{line} imports {name}"


def test_the_scan_sees_imports_inside_functions():
    """The XBlock imports the API lazily, inside a method: the scan must see it."""
    found = {(name, in_function) for name, _, in_function in imports_of(REPO / "credits_xblock" / "block.py")}
    assert ("credits_plugin.api", True) in found


def test_xblock_imports_only_the_public_api():
    wrong = [
        describe(path, line, name)
        for path in source_files("credits_xblock")
        for name, line, _ in imports_of(path)
        if name.startswith("credits_plugin") and not any(
            name == allowed or name.startswith(allowed + ".") for allowed in XBLOCK_MAY_IMPORT
        )
    ]
    assert wrong == []


@pytest.mark.parametrize("package", ["credits_plugin", "credits_xblock"])
def test_only_the_platform_package_imports_openedx_platform(package):
    door = REPO / "credits_plugin" / "platform"
    wrong = [
        describe(path, line, name)
        for path in source_files(package)
        for name, line, in_function in imports_of(path)
        if name.split(".")[0] in PLATFORM_PACKAGES and (door not in path.parents or not in_function)
    ]
    assert wrong == []


def test_the_platform_package_is_where_platform_imports_live():
    """The rule above has something to check: the Open edX backend does import the platform."""
    names = {
        name.split(".")[0]
        for path in source_files("credits_plugin/platform")
        for name, _, _ in imports_of(path)
    }
    assert {"lms", "openedx"} <= names

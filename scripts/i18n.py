#!/usr/bin/env python
"""
Extract, update, compile and check the translation catalogs of the plugin and its XBlock.

Two catalogs ship in the wheel:

* ``credits_plugin/locale/<lang>/LC_MESSAGES/django.po|mo``: the Django catalog of the plugin
  app. Django finds it because ``credits_plugin`` is an installed app. It holds every string
  of ``credits_plugin/``, ``credits_xblock/`` and the top-level ``templates/`` (Django
  templates, and ``_("...")`` inside the Mako templates under ``templates/**/mako/``).
  Translators edit this file.
* ``credits_xblock/translations/<lang>/LC_MESSAGES/text.po|mo``: the XBlock's own catalog, where
  the platform's ``XBlockI18nService`` looks for a block's bundled translations (domain
  ``text``). It is generated from ``django.po``: the entries whose source is in
  ``credits_xblock/`` or ``templates/credits_xblock/``. Do not edit it by hand.

Usage (from anywhere; needs GNU gettext's xgettext, msgmerge, msggrep, msgattrib, msgfmt)::

    python scripts/i18n.py extract [--pot FILE]   # write the template of every string (stdout by default)
    python scripts/i18n.py update                 # extract, then merge into both catalogs
    python scripts/i18n.py compile                # compile the .po files into .mo (msgfmt --check)
    python scripts/i18n.py check                  # fail if an entry is untranslated or fuzzy
    python scripts/i18n.py all                    # update, compile, check (the default)

demo/, tests/, bench/, frontend/ and tutor/ are never scanned: only the folders in SCANNED.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr"]
SCANNED = ["credits_plugin", "credits_xblock", "templates"]
DJANGO_LOCALE = ROOT / "credits_plugin" / "locale"
XBLOCK_LOCALE = ROOT / "credits_xblock" / "translations"
XBLOCK_DOMAIN = "text"  # the domain XBlockI18nService uses for a block's bundled translations
XBLOCK_SOURCES = ["credits_xblock/*", "templates/credits_xblock/*"]
MAKO_FOLDER = "mako"  # templates under a folder of this name are Mako, not Django, templates
# "*/locale" matters: makemessages writes into any "locale" folder it walks into, and the
# scanned folders are symlinks to the real ones.
IGNORED = ["*/" + MAKO_FOLDER, "__pycache__", "*/locale", "*/translations", "*/static"]
MAKO_KEYWORDS = ["_", "gettext", "ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3"]
GETTEXT_TOOLS = ["xgettext", "msgmerge", "msggrep", "msgattrib", "msgfmt", "msgcat", "msginit"]


def run(*args, cwd=None, env=None):
    """Run a command, failing loudly with its output."""
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True,
                            check=False)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{args[0]} failed ({result.returncode})")
    return result.stdout


def say(message, stream=sys.stdout):
    """Tell the person running the script what happened."""
    stream.write(message + "\n")


def missing_tools():
    """The gettext programs this script needs that are not on the PATH."""
    return [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]


def mako_expressions(line):
    """The Python inside each ``${...}`` of a line, minding braces and quotes within it."""
    expressions, start = [], line.find("${")
    while start != -1:
        depth, quote, index = 1, None, start + 2
        while index < len(line) and depth:
            char = line[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = None
            elif char in "'\"":
                quote = char
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            index += 1
        expressions.append(line[start + 2:index - 1] if not depth else line[start + 2:])
        start = line.find("${", index)
    return expressions


def mako_as_python(text):
    """
    The Python expressions of a Mako template, line for line, for xgettext's Python parser.

    ``${...}`` expressions and ``%`` control lines are kept; the HTML around them is dropped,
    so an apostrophe in the page's text never opens a string, and line numbers stay right.
    """
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("%") and not stripped.startswith("%>"):
            lines.append(stripped.lstrip("%").strip())
        else:
            lines.append("; ".join(mako_expressions(line)))
    return "\n".join(lines) + "\n"


def extract_mako(work, pot):
    """Extract ``_("...")`` of the Mako templates into ``pot``; False when there are none."""
    sources = sorted(path.relative_to(ROOT) for path in (ROOT / "templates").rglob("*")
                     if path.is_file() and MAKO_FOLDER in path.relative_to(ROOT).parts[:-1])
    if not sources:
        return False
    for source in sources:
        copy = work / source
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(mako_as_python((ROOT / source).read_text(encoding="utf-8")), encoding="utf-8")
    keywords = [f"--keyword={keyword}" for keyword in MAKO_KEYWORDS]
    run("xgettext", "--language=Python", "--from-code=UTF-8", "--force-po", "--no-wrap", *keywords,
        "--output", pot, *sources, cwd=work)
    return count_entries(pot.read_text(encoding="utf-8")) > 0


def extract(pot):
    """Write to ``pot`` the template of every translatable string in the scanned folders."""
    with tempfile.TemporaryDirectory(prefix="credits-i18n-") as tmp:
        work = Path(tmp) / "tree"
        work.mkdir()
        for name in SCANNED:  # a tree of only the scanned folders: nothing else can slip in
            (work / name).symlink_to(ROOT / name, target_is_directory=True)
        (work / "locale").mkdir()
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        ignores = [f"--ignore={pattern}" for pattern in IGNORED]
        run(sys.executable, "-m", "django", "makemessages", "--locale", LANGUAGES[0], "--domain", "django",
            "--symlinks", "--keep-pot", "--no-wrap", *ignores, cwd=work, env=env)
        django_pot = work / "locale" / "django.pot"
        mako_work = Path(tmp) / "mako"
        mako_pot = Path(tmp) / "mako.pot"
        if extract_mako(mako_work, mako_pot):
            run("msgcat", "--use-first", "--no-wrap", "--output-file", pot, django_pot, mako_pot)
        else:
            shutil.copyfile(django_pot, pot)
    return pot


def count_entries(po_text):
    """How many messages a .po/.pot text holds, not counting its header (the one empty msgid)."""
    header = 1 if re.search(r'^msgid ""\nmsgstr ""', po_text, re.M) else 0
    return len(re.findall(r"^msgid ", po_text, re.M)) - header


def catalog(locale_dir, language, domain):
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def merge(po, pot, language):
    """Bring ``po`` up to date with ``pot``: new strings untranslated, old ones dropped."""
    po.parent.mkdir(parents=True, exist_ok=True)
    if not po.exists():
        run("msginit", "--no-translator", "--no-wrap", "--locale", language, "--input", pot, "--output-file", po)
        return
    merged = po.with_suffix(".merged")
    run("msgmerge", "--quiet", "--previous", "--no-wrap", "--output-file", merged, po, pot)
    run("msgattrib", "--no-obsolete", "--no-wrap", "--output-file", po, merged)
    merged.unlink()


def derive_xblock_catalog(django_po, pot, xblock_po):
    """The XBlock's catalog: the entries of the Django catalog whose source is the XBlock's."""
    with tempfile.TemporaryDirectory(prefix="credits-i18n-") as tmp:
        xblock_pot = Path(tmp) / "xblock.pot"
        locations = [f"--location={pattern}" for pattern in XBLOCK_SOURCES]
        run("msggrep", "--no-wrap", *locations, "--output-file", xblock_pot, pot)
        merged = Path(tmp) / "merged.po"
        run("msgmerge", "--quiet", "--no-fuzzy-matching", "--no-wrap", "--output-file", merged, django_po, xblock_pot)
        xblock_po.parent.mkdir(parents=True, exist_ok=True)
        run("msgattrib", "--no-obsolete", "--no-wrap", "--output-file", xblock_po, merged)


def update():
    with tempfile.TemporaryDirectory(prefix="credits-i18n-") as tmp:
        pot = extract(Path(tmp) / "django.pot")
        for language in LANGUAGES:
            django_po = catalog(DJANGO_LOCALE, language, "django")
            merge(django_po, pot, language)
            derive_xblock_catalog(django_po, pot, catalog(XBLOCK_LOCALE, language, XBLOCK_DOMAIN))
            say(f"updated {django_po.relative_to(ROOT)} and the XBlock's {XBLOCK_DOMAIN}.po")


def catalogs():
    for language in LANGUAGES:
        yield catalog(DJANGO_LOCALE, language, "django")
        yield catalog(XBLOCK_LOCALE, language, XBLOCK_DOMAIN)


def compile_catalogs():
    for po in catalogs():
        run("msgfmt", "--check", "--output-file", po.with_suffix(".mo"), po)
        say(f"compiled {po.with_suffix('.mo').relative_to(ROOT)}")


def check():
    """Fail when a catalog has an untranslated or fuzzy entry."""
    problems = []
    for po in catalogs():
        for kind, option in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
            found = run("msgattrib", option, "--no-obsolete", "--no-wrap", po)
            count = count_entries(found)
            if count > 0:
                problems.append(f"{po.relative_to(ROOT)}: {count} {kind} entries")
    for problem in problems:
        say(problem, sys.stderr)
    if problems:
        raise SystemExit(1)
    say("every entry is translated")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("command", nargs="?", default="all", choices=["extract", "update", "compile", "check", "all"])
    parser.add_argument("--pot", type=Path, help="where extract writes the template (default: stdout)")
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing and (args.command != "check" or "msgattrib" in missing):
        raise SystemExit("GNU gettext is needed (apt-get install gettext); missing: " + ", ".join(missing))
    if args.command == "extract":
        if args.pot:
            extract(args.pot)
        else:
            with tempfile.TemporaryDirectory(prefix="credits-i18n-") as tmp:
                sys.stdout.write(extract(Path(tmp) / "django.pot").read_text(encoding="utf-8"))
        return
    if args.command in ("update", "all"):
        update()
    if args.command in ("compile", "all"):
        compile_catalogs()
    if args.command in ("check", "all"):
        check()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Project shapes real projects have (configuration and files), asked of Alembic's own
command line and of Retort's: stdout and exit status must be the same.

Usage: cli_shapes.py RETORT WORKDIR [PYTHON]

Where alembic_oracle.py asks Alembic's Python API about generated revision graphs, this asks
`python -m alembic` itself, so what its command line adds is compared too: FAILED: on
stdout and exit status 255 for a CommandError, 1 for an exception it does not catch, 2 for
argparse's usage errors, env.py run before the database is read. Shapes: two version
locations with each path separator, recursive version locations, a sub-folder that is not
read, annotated identifiers, a relative script_location, odd revision ids, a list
down_revision with a trailing comma, reassigned identifiers and implicit concatenation,
__pycache__ / dot / underscore files, labels and depends_on, another ini section without
env.py, a database at two heads with docstrings of many shapes, a revision file in Python 3.12+
syntax (read on 3.13, refused as 3.11 refuses it when the project's Alembic runs on 3.11),
empty strings as identifiers.
Exits 1 when an answer differs (each difference printed), 0 otherwise.
"""
import json, os, subprocess, sys, shutil
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from alembic_oracle import normalise
from alembic_fork import AlembicServer

R = os.path.abspath(sys.argv[1])
ROOT = sys.argv[2]
PYTHON = sys.argv[3] if len(sys.argv) > 3 else "/usr/bin/python3"
shutil.rmtree(ROOT, ignore_errors=True); os.makedirs(ROOT)
REV = '''"""{msg}

Revision ID: {rev}
Revises: {down}
Create Date: 2024-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa
{extra}
revision = {revrepr}
down_revision = {downrepr}
branch_labels = {labels}
depends_on = {deps}

def upgrade():
    pass

def downgrade():
    pass
'''
ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
'''
def rev(d, name, r, down, msg="m", labels="None", deps="None", extra="", revrepr=None, downrepr=None):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        f.write(REV.format(msg=msg, rev=r, down=down, extra=extra, revrepr=revrepr or repr(r),
                           downrepr=downrepr or repr(down), labels=labels, deps=deps))
def project(name, ini_extra="", script_location="%(here)s/alembic", env=True):
    p = os.path.join(ROOT, name); os.makedirs(os.path.join(p, "alembic", "versions"))
    with open(os.path.join(p, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %s\nsqlalchemy.url = sqlite:///%%(here)s/db.sqlite\n%s\n" % (script_location, ini_extra))
    if env:
        with open(os.path.join(p, "alembic", "env.py"), "w") as f: f.write(ENV)
        with open(os.path.join(p, "alembic", "script.py.mako"), "w") as f: f.write("x\n")
    return p
def two_locations(name, ini_extra):
    """a1 in alembic/versions, b1 on it in extra/, the two folders listed as ini_extra says."""
    p = project(name, ini_extra)
    rev(p + "/alembic/versions", "a1_a.py", "a1", None)
    rev(p + "/extra", "b1_b.py", "b1", "a1")
    return p
cases = []
# 1. version_locations with two dirs, each path separator
cases.append(two_locations("two_locations", "version_locations = %(here)s/alembic/versions %(here)s/extra\nversion_path_separator = space\n"))
cases.append(two_locations("sep_colon", "version_locations = %(here)s/alembic/versions:%(here)s/extra\nversion_path_separator = :\n"))
cases.append(two_locations("legacy_sep", "version_locations = %(here)s/alembic/versions,%(here)s/extra\n"))
# 2. recursive
p = project("recursive", "recursive_version_locations = true\n")
rev(p + "/alembic/versions", "a1_a.py", "a1", None)
rev(p + "/alembic/versions/2024", "b1_b.py", "b1", "a1")
rev(p + "/alembic/versions/2024/q1", "c1_c.py", "c1", "b1")
cases.append(p)
# 3. non-recursive with subdir (ignored)
p = project("subdir_ignored")
rev(p + "/alembic/versions", "a1_a.py", "a1", None)
rev(p + "/alembic/versions/old", "b1_b.py", "b1", "a1")
cases.append(p)
# 4. annotated modern template
p = project("annotated")
rev(p + "/alembic/versions", "a1_a.py", "1a2b3c4d5e6f", None, extra="from typing import Sequence, Union\n",
    revrepr="'1a2b3c4d5e6f'\nrevision: str = '1a2b3c4d5e6f'")
with open(p + "/alembic/versions/b_b.py", "w") as f:
    f.write('"""second\n\nRevision ID: 2b\n"""\nfrom typing import Sequence, Union\nrevision: str = "2b"\ndown_revision: Union[str, None] = "1a2b3c4d5e6f"\nbranch_labels: Union[str, Sequence[str], None] = None\ndepends_on: Union[str, Sequence[str], None] = None\n')
cases.append(p)
# 5. relative script_location (relative to cwd)
p = project("relative", script_location="alembic")
rev(p + "/alembic/versions", "a1_a.py", "a1", None)
cases.append(p)
# 7. revision ids with odd chars
p = project("odd_ids")
rev(p + "/alembic/versions", "x1.py", "2024_01_01_init", None)
rev(p + "/alembic/versions", "x2.py", "add-users", "2024_01_01_init", labels="('core',)")
rev(p + "/alembic/versions", "x3.py", "ABCDEF", "add-users", deps="'2024_01_01_init'")
cases.append(p)
# 8. list down_revision, trailing comma, merge
p = project("listdown")
rev(p + "/alembic/versions", "a.py", "a", None)
rev(p + "/alembic/versions", "b.py", "b", "a")
rev(p + "/alembic/versions", "c.py", "c", "a")
rev(p + "/alembic/versions", "d.py", "d", "b,c", downrepr="['b', 'c',]")
cases.append(p)
# 9. revision reassigned, and ids from concatenation
p = project("reassigned")
rev(p + "/alembic/versions", "a.py", "a", None, revrepr="'zzz'\nrevision = 'a'")
rev(p + "/alembic/versions", "b.py", "b", "a", revrepr="'b' 'b'", downrepr="('a')")
cases.append(p)
# 10. sourceless / pycache / hidden files
p = project("pycache")
rev(p + "/alembic/versions", "a.py", "a", None)
os.makedirs(p + "/alembic/versions/__pycache__")
rev(p + "/alembic/versions/__pycache__", "b.py", "b", "a")
rev(p + "/alembic/versions", ".#c.py", "c", "a")
rev(p + "/alembic/versions", "_d.py", "d", "a")
rev(p + "/alembic/versions", "e.pyc.py", "e", "a")
cases.append(p)
# 11. depends_on label, branch_labels string
p = project("labels")
rev(p + "/alembic/versions", "a.py", "a", None, labels="'lib'")
rev(p + "/alembic/versions", "b.py", "b", None, labels="['app']", deps="'lib'")
rev(p + "/alembic/versions", "c.py", "c", "b")
cases.append(p)
# 12. -n other section
p = project("section")
with open(p + "/alembic.ini", "a") as f: f.write("\n[other]\nscript_location = %(here)s/alembic2\n")
rev(p + "/alembic2/versions", "a.py", "q", None)
rev(p + "/alembic/versions", "a.py", "a", None)
cases.append(p)

# 13. database stamped at a merge's parents, docstrings of many shapes
p = project("db_docs")
d = p + "/alembic/versions"
with open(d + "/a.py", "w") as f: f.write('revision = "a"\ndown_revision = None\n')
with open(d + "/b.py", "w") as f: f.write('"""Add users\n\nLonger text, with a blank line.\n\n   indented\n"""\nrevision = "b"\ndown_revision = "a"\n')
with open(d + "/c.py", "w") as f: f.write("'''single ''' \"quoted\" doc'''\nrevision = 'c'\ndown_revision = 'a'\nbranch_labels = ('feature', 'x')\n")
with open(d + "/m.py", "w") as f: f.write('r"""merge \\n raw"""\nrevision = "m"\ndown_revision = ("b", "c")\n')
import sqlite3
con = sqlite3.connect(p + "/db.sqlite"); con.execute("create table alembic_version (version_num varchar(32) not null primary key)")
con.execute("insert into alembic_version values ('b')"); con.execute("insert into alembic_version values ('c')"); con.commit(); con.close()
cases.append(p)
# 14. Python 3.12+ syntax in a revision file (PEP 701 f-strings, PEP 695 type parameters):
# Alembic on 3.13 imports it, so Retort (following the Python the project's Alembic runs on)
# must read it; told the project runs on 3.11, Retort refuses it as 3.11's import would.
PEP701 = """def _names[T](items: list[T]) -> str:
    return f"{", ".join(f"{i!r:>{3}}" for i in items)}"
type Ids = list[str]
SQL = f\"\"\"UPDATE t SET name = {"'x'"} -- {
    len(_names([1]))  # counted
}\"\"\"
"""
p = project("pep701")
rev(p + "/alembic/versions", "a1_a.py", "a1", None)
rev(p + "/alembic/versions", "b1_b.py", "b1", "a1", extra=PEP701)
cases.append(p)
PEP701_PROJECT = p
# 15. empty strings as identifiers (bodhi's down_revision = ''): "" is an id no file defines, so
# Alembic's map raises KeyError; depends_on = "" is falsy and names nothing.
p = project("empty_down")
rev(p + "/alembic/versions", "a.py", "a", None)
rev(p + "/alembic/versions", "b.py", "b", "", downrepr="''")
cases.append(p)
p = project("empty_depends")
rev(p + "/alembic/versions", "a.py", "a", None, deps="''")
rev(p + "/alembic/versions", "b.py", "b", "a", deps="('',)")
cases.append(p)
cmds = [["heads"], ["heads", "-v"], ["history"], ["history", "-v"], ["branches"], ["show", "head"], ["current"], ["history", "-r", "base:heads"], ["current", "-v"], ["history", "-i"], ["history", "-r", "current:"], ["show", "current"], ["history", "-r", "-1:"], ["show", "feature@head"], ["heads", "--resolve-dependencies"], ["branches", "-v"]]
def run(cmd, cwd, env=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60,
                       env=None if env is None else dict(os.environ, **env))
    return r.returncode, r.stdout, without_info(r.stderr)


def without_info(stderr):
    return "\n".join(l for l in stderr.splitlines() if not l.startswith("INFO "))


# `python -m alembic ARGS` in a process forked from one that has imported Alembic
# (alembic_fork.py): it saves each question the interpreter's start and Alembic's import (two
# thirds of this test's time); RETORT_SHAPES_SPAWN=1 starts a real `python -m alembic` per
# question instead.
class Alembic:
    def __init__(self):
        self.server = None
        if os.environ.get("RETORT_SHAPES_SPAWN") != "1":
            self.server = AlembicServer(PYTHON, ROOT)

    def __call__(self, args, cwd):
        if self.server is None:
            return run([PYTHON, "-m", "alembic"] + args, cwd)
        code, out, err = self.server.ask(cwd, argv=args)
        return code, out, without_info(err)


alembic = Alembic()
# Retort is asked each question cold (RETORT_NO_CACHE=1: every file parsed) and twice with
# the parse cache (the second run warm: every file known by its stamp, none read); every
# answer must be Alembic's. RETORT_CACHE_SETTLE_MS=0 lets the files just written get stamps.
CACHE = {"RETORT_CACHE_DIR": os.path.join(ROOT, "parse-cache"), "RETORT_CACHE_SETTLE_MS": "0"}
bad = 0
asked = 0
def ask(p, c, label=""):
    global bad, asked
    extra = ["-n", "other"] if p.endswith("section") else []
    a = alembic(extra + c, p)
    # The first cached run writes what it had not seen (and after an edit, must not answer
    # from the old entry); the second reads it all from the cache.
    for kind, env in (("cold", dict(CACHE, RETORT_NO_CACHE="1")), ("cached", CACHE), ("warm", CACHE)):
        b = run([R] + c + extra, p, env)
        asked += 1
        if a[0] != b[0] or normalise(a[1]) != normalise(b[1]):
            bad += 1
            print("=== %s%s: %s (%s)\n--- alembic rc=%d OUT:\n%s ERR:\n%s\n--- retort rc=%d OUT:\n%s ERR:\n%s" % (os.path.basename(p), label, " ".join(c), kind, a[0], a[1][-1500:], a[2][-300:], b[0], b[1][-1500:], b[2][-300:]))
for p in cases:
    for c in cmds:
        ask(p, c)
# Command lines argparse refuses (extra positional arguments: exit status 2) and -q, which
# prints nothing on stdout (not even FAILED:) and keeps the exit status (the hunt found both).
for c in (["heads", "extra"], ["current", "x"], ["history", "-r", "base:heads", "x"], ["branches", "a", "b"],
          ["show", "head", "base"], ["-q", "heads"], ["--quiet", "history"], ["-q", "show", "nosuch"],
          ["-q", "history", "-r", "a:b:c"]):
    ask(cases[0], c, " (command line)")
# A revision file edited after the cache saw it, to bytes of the same size, its mtime put
# back: the cache must not answer with the old file's facts (the edit changed its ctime, so
# its stamp; the bytes are then read and keyed by content).
p = os.path.join(ROOT, "listdown")
d = p + "/alembic/versions/d.py"
st = os.stat(d)
with open(d) as f: text = f.read()
edited = text.replace("Revision ID: d", "Revision ID: e").replace("revision = 'd'", "revision = 'e'")
assert edited != text and len(edited) == len(text)
with open(d, "w") as f: f.write(edited)
os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns))
# Python's own bytecode cache trusts size + mtime: Alembic must not import the stale .pyc.
shutil.rmtree(p + "/alembic/versions/__pycache__", ignore_errors=True)
for c in (["heads"], ["history"], ["show", "head"]):
    ask(p, c, " after a same-size edit")
# The same file on a project whose Alembic runs on Python 3.11: the import fails there with
# 3.11's SyntaxError, so every command fails; Retort names that error.
PY311 = os.environ.get("RETORT_PYTHON311", "/root/.pyenv/versions/3.11.7/bin/python3")
if sys.version_info >= (3, 12) and os.path.exists(PY311):
    probe = subprocess.run([PY311, "-c", "import sys\ntry:\n compile(open(sys.argv[1], 'rb').read(), 'x', 'exec')\nexcept SyntaxError as e:\n print('%s (line %d' % (e.msg, e.lineno))",
                            PEP701_PROJECT + "/alembic/versions/b1_b.py"], capture_output=True, text=True)
    expected = probe.stdout.strip()
    env = dict(os.environ, RETORT_ALEMBIC_FLAVOR="alembic=1.13.2 python=3.11 sqlalchemy=2.0")
    r = subprocess.run([R, "heads"], cwd=PEP701_PROJECT, capture_output=True, text=True, timeout=60, env=env)
    if not expected or r.returncode == 0 or expected not in r.stdout + r.stderr:
        bad += 1
        print("=== pep701 as Python 3.11: expected a failure naming %r\n--- retort rc=%d OUT:\n%s ERR:\n%s" % (expected, r.returncode, r.stdout, r.stderr))
print("%d projects, %d answers (each question cold, cached and warm), %d differences" % (len(cases), asked, bad))
sys.exit(1 if bad else 0)

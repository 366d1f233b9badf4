#!/usr/bin/python3
"""A by-hand hunt for answers where Retort and Alembic differ, on shapes the checked-in
generators (alembic_oracle.py, cli_shapes.py) do not make. Not part of ctest: it asks
thousands of questions; what it finds becomes a shape there.

Usage: hunt.py RETORT WORKDIR [--only NAME[,NAME...]] [--quick]

Each question is asked of `python -m alembic` (Debian's /usr/bin/python3, in a process forked
from one that has imported Alembic: alembic_fork.py, as cli_shapes.py does) and of RETORT, both in the project's
folder; plans are asked of ScriptDirectory._upgrade_revs / _downgrade_revs in the same forked
process (as alembic_oracle.py does) and of `retort plan`. Compared: stdout (set-ordered lists
sorted by alembic_oracle.normalise), the exit status, and for an exception that escapes Alembic
its class (the last line of the traceback) against the class Retort names on stderr.

Shapes: every target syntax (head(s), base, label@head/base, rev@+n, ±n, head-1, heads+1,
partial and ambiguous prefixes, ids that look like keywords or steps, case and spaces), ranges
with labels and steps on both ends, history -i / current / show current against a SQLite version
table with several rows, unknown rows, no rows and no table; labels on merges and branch points,
depends_on on labels and on other branches; alembic.ini oddities (comments, continuation lines,
separators, %(here)s, missing sections, -c from another folder); revision files with odd
identifiers (assigned twice, annotated, tuples/lists/strings, ('a',), duplicates in a tuple,
Revises: that disagrees, unicode and very long messages); graphs 50 heads wide, 5,000 deep,
merges of merges and dependency diamonds.
Prints each difference; the last line counts questions and differences per shape.
"""
import json, os, random, shutil, sqlite3, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from alembic_oracle import normalise, normalise_error
from alembic_fork import AlembicServer

R = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
ONLY = None
if "--only" in sys.argv:
    ONLY = set(sys.argv[sys.argv.index("--only") + 1].split(","))
QUICK = "--quick" in sys.argv
PYTHON = "/usr/bin/python3"

def last_line(text):
    lines = [l for l in text.splitlines() if l.strip() and not l.startswith("INFO ")]
    return lines[-1] if lines else ""


def exc_class(line):
    head = line.split(":", 1)[0].strip()
    return head.rsplit(".", 1)[-1]


ALEMBIC = AlembicServer(PYTHON, ROOT)
STATS = {}
DIFFS = []


def set_of_entries(text):
    if "\nRev: " in text or text.startswith("Rev: "):
        head, _, rest = text.partition("Rev: ")
        return head, sorted(e.strip() for e in ("\n" + rest).split("\nRev: "))
    return sorted(text.splitlines())


def compare(shape, cwd, argv, a, b):
    STATS.setdefault(shape, [0, 0])
    STATS[shape][0] += 1
    same = a[0] == b[0] and normalise(a[1]) == normalise(b[1])
    if not same and a[0] == b[0] == 255:
        # which of two revisions sharing a label is named first is a Python set's order
        fa, fb = a[1].rpartition("FAILED: "), b[1].rpartition("FAILED: ")
        same = fa[0] == fb[0] and normalise_error(fa[2].strip()) == normalise_error(fb[2].strip())
    if not same and a[0] == b[0] and argv[:1] == ["current"]:
        # get_all_current returns a set: its entries come in hash order
        same = set_of_entries(normalise(a[1])) == set_of_entries(normalise(b[1]))
    if same and a[0] == 1:
        same = exc_class(last_line(a[2])) == exc_class(last_line(b[2]))
    if not same:
        STATS[shape][1] += 1
        DIFFS.append((shape, argv))
        if os.environ.get("HUNT_DUMP"):
            json.dump([a, b], open(os.path.join(ROOT, "last_diff.json"), "w"))
        print("=== %s [%s]: %s\n--- alembic rc=%d\n%s  err: %s\n--- retort rc=%d\n%s  err: %s" % (
            shape, os.path.relpath(cwd, ROOT), " ".join(argv), a[0], a[1][-1200:], last_line(a[2]),
            b[0], b[1][-1200:], last_line(b[2])), flush=True)


def retort(cwd, argv):
    r = subprocess.run([R] + argv, cwd=cwd, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, RETORT_NO_CACHE="1"))
    return r.returncode, r.stdout, r.stderr


def ask_cli(shape, cwd, argv, retort_argv=None):
    a = ALEMBIC.ask(cwd, argv=argv)
    b = retort(cwd, retort_argv if retort_argv is not None else argv)
    compare(shape, cwd, argv, a, b)


def ask_plan(shape, cwd, up, target, current, ini="alembic.ini"):
    a = ALEMBIC.ask(cwd, plan={"ini": os.path.join(cwd, ini), "up": up, "target": target, "current": current})
    argv = ["plan", "upgrade" if up else "downgrade", target, "--from", ",".join(current) if current else "base"]
    if ini != "alembic.ini":
        argv = ["-c", ini] + argv
    b = retort(cwd, argv)
    compare(shape, cwd, argv, a, b)


# ---------------------------------------------------------------- project writing
REV = '''"""{msg}

Revision ID: {revises_id}
Revises: {revises}
Create Date: 2024-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa

{body}

def upgrade():
    pass


def downgrade():
    pass
'''


def project(name, ini=None, script_location="%(here)s/alembic"):
    p = os.path.join(ROOT, name)
    shutil.rmtree(p, ignore_errors=True)
    os.makedirs(os.path.join(p, "alembic", "versions"))
    with open(os.path.join(p, "alembic.ini"), "w") as f:
        f.write(ini if ini is not None else
                "[alembic]\nscript_location = %s\nsqlalchemy.url = sqlite:///%%(here)s/db.sqlite\n" % script_location)
    with open(os.path.join(p, "alembic", "env.py"), "w") as f:
        f.write(ENV)
    return p


ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
'''


def write(d, fname, rev, down, labels=None, deps=None, msg=None, body=None, revises=None):
    os.makedirs(d, exist_ok=True)
    if body is None:
        body = "revision = %r\ndown_revision = %r\nbranch_labels = %r\ndepends_on = %r\n" % (rev, down, labels, deps)
    if revises is None:
        revises = down if isinstance(down, str) or down is None else ", ".join(down)
    with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
        f.write(REV.format(msg=msg if msg is not None else "rev %s" % rev, revises_id=rev, revises=revises, body=body))


def versions(p):
    return os.path.join(p, "alembic", "versions")


def database(p, rows, table=True):
    path = os.path.join(p, "db.sqlite")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    if table:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        for r in rows:
            con.execute("INSERT INTO alembic_version VALUES (?)", (r,))
    con.commit()
    con.close()


READS = [["heads"], ["heads", "-v"], ["heads", "--resolve-dependencies"], ["history"], ["history", "-v"],
         ["branches"], ["branches", "-v"]]


def hist(rng_text):
    return ["history", "--rev-range=" + rng_text] if rng_text.startswith("-") else ["history", "-r", rng_text]


def ask_targets(shape, p, ids, labels, extra=()):
    targets = ["head", "heads", "base", "-1", "+1", "+2", "-2", "head-1", "heads-1", "heads+1", "head+1", "base+1",
               "base+2", "base-1", "head@head", "heads@head", "@head", "@base", "+0", "-0", "head+0", "HEAD", "Heads",
               " head", "head ", "", ":", "@", "@-1", "1", "0", "a" * 40]
    for i in ids[:6]:
        targets += [i, i[:1], i[:2], i[:3], i + "@head", i + "@base", i + "+1", i + "-1", i + "@+1", i + "@-1",
                    i + "@+2", i + "@-2", i.upper(), i + "@" + i]
    for lab in labels:
        targets += [lab, lab + "@head", lab + "@heads", lab + "@base", lab + "@+1", lab + "@-1", lab + "@+2",
                    lab + "@-2", lab + "@" + (ids[0] if ids else "x"), lab + "@" + (ids[-1][:3] if ids else "x"),
                    lab + "+1", lab + "-1", lab.upper() + "@head"]
    targets += list(extra)
    seen = set()
    for t in targets:
        if t in seen:
            continue
        seen.add(t)
        ask_cli(shape, p, ["show", t])
    ranges = ["base:heads", ":heads", "base:", "heads:base", "head:head", "base:base", "-1:", ":-1", "-2:+1",
              "base:-1", "base:+1", ":+1", "head-1:", "heads-1:heads", ":", "::", "a:b:c"]
    for i in ids[:4]:
        ranges += ["%s:" % i, ":%s" % i, "%s:heads" % i, "%s:%s" % (i, i), "%s+1:" % i, "%s-1:" % i, ":%s-1" % i,
                   "%s@-1:" % i, "base:%s@+1" % i, "%s:head" % i]
    for lab in labels:
        ranges += ["%s@base:%s@head" % (lab, lab), "%s@base:" % lab, ":%s@head" % lab, "base:%s" % lab,
                   "%s:" % lab, "%s@-1:" % lab, "%s@base:heads" % lab, "%s@+1:%s@head" % (lab, lab)]
    if len(ids) >= 2:
        ranges += ["%s:%s" % (ids[-1], ids[0]), "%s:%s" % (ids[0][:3], ids[-1][:3])]
    for r in dict.fromkeys(ranges):
        ask_cli(shape, p, hist(r))
        if not QUICK:
            ask_cli(shape, p, hist(r) + ["-v"])


def ask_plans(shape, p, ids, labels, states):
    ups = ["head", "heads", "+1", "+2", "+3", "base", "-1"] + [i for i in ids[:5]] + [i + "@+1" for i in ids[:2]] \
        + [i[:3] for i in ids[:2]] + [lab + "@head" for lab in labels] + [lab + "@+1" for lab in labels] + labels
    downs = ["base", "-1", "-2", "-3", "head", "+1"] + [i for i in ids[:5]] + [i + "@-1" for i in ids[:2]] \
        + [lab + "@base" for lab in labels] + [lab + "@-1" for lab in labels] + [lab + "@-2" for lab in labels] + labels
    for cur in states:
        for t in dict.fromkeys(ups):
            ask_plan(shape, p, True, t, cur)
        for t in dict.fromkeys(downs):
            ask_plan(shape, p, False, t, cur)


def ask_db(shape, p, states):
    for rows, table in states:
        database(p, rows, table)
        for c in (["current"], ["current", "-v"], ["history", "-i"], ["history", "--indicate-current", "-v"],
                  ["show", "current"], ["history", "-r", "current:"], ["history", "-r", ":current"],
                  ["history", "-r", "current:heads", "-i"], ["history", "-r", "base:current"]):
            ask_cli(shape, p, c)


def on(name):
    return ONLY is None or name in ONLY


# ---------------------------------------------------------------- shapes
def shape_targets():
    """A branched graph with labels on a branch point and a merge, ids that share prefixes,
    an id that is a prefix of another, ids that look like steps or keywords."""
    p = project("targets")
    v = versions(p)
    write(v, "a.py", "ab12", None, labels="core")
    write(v, "b.py", "ab1234", "ab12")
    write(v, "c.py", "ac99", "ab1234", labels=("feat", "x2"))
    write(v, "d.py", "bd01", "ab1234")
    write(v, "e.py", "be02", "ac99")
    write(v, "f.py", "cf03", ("be02", "bd01"), labels="merged")
    write(v, "g.py", "cf04", "cf03")
    write(v, "h.py", "dd05", "bd01", deps="feat")
    write(v, "i.py", "ee06", None, labels="other")
    write(v, "j.py", "ee07", "ee06", deps="ac99")
    ids = ["ab12", "ab1234", "ac99", "bd01", "be02", "cf03", "cf04", "dd05", "ee06", "ee07"]
    labels = ["core", "feat", "x2", "merged", "other"]
    for c in READS:
        ask_cli("targets", p, c)
    ask_targets("targets", p, ids, labels, extra=["c", "cf", "e", "ee", "feat@cf", "core@ab", "other@ee06", "core@ee06"])
    ask_plans("targets", p, ids, labels, [[], ["ab1234"], ["cf04"], ["dd05", "be02"], ["ee07", "cf04", "dd05"],
                                          ["ac99", "bd01"], ["ee06"]])
    ask_db("targets_db", p, [([], True), ([], False), (["cf04"], True), (["dd05", "ee07"], True),
                             (["zzzz"], True), (["ab12", "ab1234"], True), (["cf"], True), (["feat"], True)])


def shape_keywordids():
    """Revision ids that collide with Alembic's keywords and step syntax."""
    p = project("keywordids")
    v = versions(p)
    write(v, "a.py", "base", None)
    write(v, "b.py", "head", "base")
    write(v, "c.py", "x-1", "head")
    write(v, "d.py", "y+2", "x-1")
    write(v, "e.py", "12", "y+2")
    write(v, "f.py", "current", "12")
    ids = ["base", "head", "x-1", "y+2", "12", "current"]
    for c in READS:
        ask_cli("keywordids", p, c)
    ask_targets("keywordids", p, ids, [])
    ask_plans("keywordids", p, ids, [], [[], ["12"]])
    p = project("oddchars")
    v = versions(p)
    write(v, "a.py", "a b", None)
    write(v, "b.py", "caf\u00e9", "a b", msg="m\u00e9ssage \u2603 " + "long " * 200)
    write(v, "c.py", "x@y", "caf\u00e9")
    write(v, "d.py", "q:r", "x@y")
    write(v, "e.py", "z" * 64, "q:r")
    write(v, "f.py", "A1", "z" * 64)
    write(v, "g.py", "a1", "A1")
    ids = ["a b", "caf\u00e9", "x@y", "q:r", "z" * 64, "A1", "a1"]
    for c in READS:
        ask_cli("oddchars", p, c)
    ask_targets("oddchars", p, ids, [])
    ask_plans("oddchars", p, ids, [], [[], ["A1"]])


def shape_files():
    """Revision files whose identifiers are written in the shapes real projects have."""
    p = project("files")
    v = versions(p)
    write(v, "a.py", "a", None, body="revision = 'zz'\nrevision = 'a'\ndown_revision = None\n")
    write(v, "b.py", "b", "a", body="revision: str = 'b'\ndown_revision: str | None = ('a',)\n", revises="nonsense")
    write(v, "c.py", "c", "b", body="revision = \"c\"\ndown_revision = [\"b\"]\nbranch_labels = [\"lc\"]\n")
    write(v, "d.py", "d", "b", body="revision = 'd'\ndown_revision = 'b'\ndepends_on = ['c', 'c']\n")
    write(v, "e.py", "e", ("c", "d"), body="revision = 'e'\ndown_revision = ('c', 'd', 'c')\n")
    write(v, "f.py", "f", "e", body="revision = 'f'\ndown_revision = 'e'\nbranch_labels = ()\ndepends_on = ()\n")
    write(v, "g.py", "g", "f", body="revision = 'g'\ndown_revision = ('f')\nbranch_labels = 'lg',\n")
    write(v, "h.py", "h", "g", body="revision = u'h'\ndown_revision = u'g'\n", msg="\u00fcnicode d\u00f6c \u2014 " + "x" * 500)
    write(v, "i.py", "i", "h", body="revision = 'i'\ndown_revision = 'h'\nbranch_labels = None\nbranch_labels = 'li'\n")
    write(v, "j.py", "j", "i", body="revision = 'j'\ndown_revision = 'i'\ndepends_on = 'lc'\n", msg="")
    write(v, "k.py", "k", "j", body="revision = 'k'\ndown_revision = 'j'\n", msg="   \n\n  second para")
    ids = list("abcdefghijk")
    for c in READS:
        ask_cli("files", p, c)
    ask_targets("files", p, ids, ["lc", "lg", "li"])
    ask_plans("files", p, ids, ["lc", "lg", "li"], [[], ["e"], ["k"], ["d"]])
    # a duplicate in a tuple of a merge of two
    p = project("dupdown")
    v = versions(p)
    write(v, "a.py", "a", None)
    write(v, "b.py", "b", ("a", "a"))
    for c in READS + [["show", "b"], ["show", "head"], ["history", "-r", "a:b"]]:
        ask_cli("dupdown", p, c)
    ask_plans("dupdown", p, ["a", "b"], [], [[], ["a"], ["b"]])
    # the same label twice in one file; a label that is also a revision id
    p = project("labelid")
    v = versions(p)
    write(v, "a.py", "a", None, labels=("l1", "l1"))
    write(v, "b.py", "b", "a", labels="c")
    write(v, "c.py", "c", "b")
    for c in READS + [["show", "c"], ["show", "c@head"], ["show", "l1@head"]]:
        ask_cli("labelid", p, c)
    p = project("labelonmerge")
    v = versions(p)
    write(v, "a.py", "a", None)
    write(v, "b.py", "b", "a", labels="lb")
    write(v, "c.py", "c", "a", labels="lc")
    write(v, "m.py", "m", ("b", "c"), labels="lm")
    write(v, "n.py", "n", "m")
    write(v, "o.py", "o", "a")
    for c in READS:
        ask_cli("labelonmerge", p, c)
    ask_targets("labelonmerge", p, ["a", "b", "c", "m", "n", "o"], ["lb", "lc", "lm"])
    ask_plans("labelonmerge", p, ["a", "b", "c", "m", "n", "o"], ["lb", "lc", "lm"], [[], ["b"], ["n", "o"], ["b", "c"]])


def shape_ini():
    """alembic.ini oddities."""
    inis = {
        "ini_comments": "# a comment\n[alembic]\n; another\nscript_location = %(here)s/alembic\n"
                        "sqlalchemy.url = sqlite:///%(here)s/db.sqlite\n",
        "ini_inline": "[alembic]\nscript_location = %(here)s/alembic # not a comment\n",
        "ini_continuation": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations =\n    %(here)s/alembic/versions\n"
                            "    %(here)s/more\nversion_path_separator = newline\n",
        "ini_continuation_space": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions\n"
                                  "    %(here)s/more\n",
        "ini_sep_os": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions:%(here)s/more\n"
                      "version_path_separator = os\n",
        "ini_sep_semicolon": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions;%(here)s/more\n"
                             "version_path_separator = ;\n",
        "ini_sep_bad": "[alembic]\nscript_location = %(here)s/alembic\nversion_path_separator = tab\n",
        "ini_nosection": "[other]\nscript_location = %(here)s/alembic\n",
        "ini_noscript": "[alembic]\nsqlalchemy.url = sqlite://\n",
        "ini_relative": "[alembic]\nscript_location = alembic\nversion_locations = alembic/versions more\nversion_path_separator = space\n",
        "ini_colon_key": "[alembic]\nscript_location: %(here)s/alembic\n",
        "ini_uppercase_key": "[alembic]\nSCRIPT_LOCATION = %(here)s/alembic\n",
        "ini_percent": "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite:///%(here)s/db%%1.sqlite\n",
        "ini_badinterp": "[alembic]\nscript_location = %(here)s/alembic\nfoo = %(nothere)s\n",
        "ini_defaults": "[DEFAULT]\nroot = %(here)s\n[alembic]\nscript_location = %(root)s/alembic\n",
        "ini_dupkey": "[alembic]\nscript_location = %(here)s/nope\nscript_location = %(here)s/alembic\n",
        "ini_emptyloc": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations =\n",
        "ini_trailing_sep": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions %(here)s/more \n"
                            "version_path_separator = space\n",
        "ini_missingdir": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions %(here)s/gone\n"
                          "version_path_separator = space\n",
        "ini_bom": "\ufeff[alembic]\nscript_location = %(here)s/alembic\n",
        "ini_garbage": "[alembic]\nscript_location = %(here)s/alembic\njust words\n",
        "ini_noname": "[alembic]\nscript_location = %(here)s/alembic\n= value\n",
        "ini_dupsection": "[alembic]\nscript_location = %(here)s/alembic\n[x]\n[alembic]\nb = 1\n",
        "ini_dupdefault": "[DEFAULT]\na = 1\n[alembic]\nscript_location = %(here)s/alembic\n[DEFAULT]\nb = 2\n",
        "ini_header_junk": "[alembic] junk\nscript_location = %(here)s/alembic\n",
        "ini_header_brackets": "[alembic]]\nscript_location = %(here)s/alembic\n",
        "ini_path_separator": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/alembic/versions;%(here)s/more\n"
                              "path_separator = ;\n",
        "ini_sep_bad_used": "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/more\nversion_path_separator = tab\n",
        "ini_indented_key": "[alembic]\n  script_location = %(here)s/alembic\n",
        "ini_revision_environment": "[alembic]\nscript_location = %(here)s/alembic\nrevision_environment = true\n"
                                    "sqlalchemy.url = sqlite:///%(here)s/db.sqlite\n",
        "ini_crlf": "[alembic]\r\nscript_location = %(here)s/alembic\r\nversion_locations = %(here)s/alembic/versions\r\n  %(here)s/more\r\n",
    }
    for name, ini in inis.items():
        p = project(name, ini=ini)
        write(versions(p), "a.py", "a1", None)
        write(os.path.join(p, "more"), "b.py", "b1", "a1")
        for c in [["heads"], ["history"], ["show", "head"], ["branches"]]:
            ask_cli("ini", p, c)
            if name == "ini_nosection":
                ask_cli("ini", p, ["-n", "other"] + c, c + ["-n", "other"])
    # -c from another folder: %(here)s is the ini's folder, a relative script_location the cwd's
    p = project("ini_other_cwd", ini="[alembic]\nscript_location = alembic\n")
    write(versions(p), "a.py", "a1", None)
    os.makedirs(os.path.join(ROOT, "elsewhere", "alembic", "versions"), exist_ok=True)
    write(os.path.join(ROOT, "elsewhere", "alembic", "versions"), "z.py", "z9", None)
    with open(os.path.join(ROOT, "elsewhere", "alembic", "env.py"), "w") as f:
        f.write(ENV)
    for c in [["heads"], ["history"]]:
        ask_cli("ini", os.path.join(ROOT, "elsewhere"), ["-c", os.path.join(p, "alembic.ini")] + c,
                c + ["-c", os.path.join(p, "alembic.ini")])
        ask_cli("ini", os.path.join(ROOT, "elsewhere"), ["-c", "../ini_other_cwd/alembic.ini"] + c,
                c + ["-c", "../ini_other_cwd/alembic.ini"])
        ask_cli("ini", os.path.join(ROOT, "elsewhere"), ["-c", "missing.ini"] + c, c + ["-c", "missing.ini"])


def shape_db():
    """Version tables with rows the map does not explain."""
    p = project("db")
    v = versions(p)
    write(v, "a.py", "a1", None)
    write(v, "b.py", "b1", "a1")
    write(v, "c.py", "c1", "a1", labels="side")
    write(v, "m.py", "m1", ("b1", "c1"))
    write(v, "d.py", "d1", None, labels="lib")
    ask_db("db", p, [([], True), ([], False), (["a1"], True), (["a1", "b1"], True), (["b1", "c1"], True),
                     (["m1", "d1"], True), (["unknown"], True), (["m1", "unknown"], True), (["a"], True),
                     (["b1", "m1"], True), (["side"], True), (["heads"], True), (["m1", "m1x"], True)])


def linear(p, n, prefix="r"):
    v = versions(p)
    ids = []
    prev = None
    for i in range(n):
        rid = "%s%05d" % (prefix, i)
        write(v, "%s.py" % rid, rid, prev)
        ids.append(rid)
        prev = rid
    return ids


def shape_big():
    """Wide, deep, merges of merges, dependency diamonds."""
    p = project("wide")
    v = versions(p)
    write(v, "root.py", "root", None)
    heads = []
    for i in range(50):
        rid = "w%02d" % i
        write(v, rid + ".py", rid, "root", labels=("b%02d" % i) if i % 7 == 0 else None,
              deps=("w%02d" % (i - 1)) if i % 11 == 5 else None)
        heads.append(rid)
    for c in READS + [["show", "heads"], ["history", "-r", "root:heads"], ["history", "-r", "w01:"]]:
        ask_cli("wide", p, c)
    ask_plans("wide", p, ["root", "w00", "w05", "w49"], ["b00", "b07"], [[], ["root"], heads[:10], heads])
    p = project("deep")
    ids = linear(p, 1000 if QUICK else 5000)
    for c in [["heads"], ["history"], ["show", "head-4000" if not QUICK else "head-900"], ["history", "-r", "-3:"],
              ["history", "-r", "%s:%s" % (ids[10], ids[20])], ["show", ids[100] + "+50"], ["show", "base+30"]]:
        ask_cli("deep", p, c, c)
    ask_plans("deep", p, ids[:3], [], [[], [ids[-1]], [ids[len(ids) // 2]]])
    ask_plan("deep", p, True, "+100", [ids[5]])
    ask_plan("deep", p, False, "-100", [ids[-1]])
    # merges of merges
    p = project("mergemerge")
    v = versions(p)
    write(v, "a.py", "a", None)
    layer = []
    for i in range(8):
        write(v, "l%d.py" % i, "l%d" % i, "a")
        layer.append("l%d" % i)
    n = 0
    while len(layer) > 1:
        nxt = []
        for j in range(0, len(layer), 2):
            mid = "m%d" % n
            n += 1
            write(v, mid + ".py", mid, tuple(layer[j:j + 2]) if len(layer[j:j + 2]) > 1 else layer[j])
            nxt.append(mid)
        layer = nxt
    write(v, "z.py", "z", layer[0])
    write(v, "x.py", "x", ("l0", "m0", "l7"))   # a merge of a revision and its own descendant
    ids = ["a", "l0", "l3", "m0", "m4", "m6", "z", "x"]
    for c in READS:
        ask_cli("mergemerge", p, c)
    ask_targets("mergemerge", p, ids, [])
    ask_plans("mergemerge", p, ids, [], [[], ["l0", "l1"], ["m4"], ["z"], ["z", "x"], ["m0", "l5"]])
    # dependency diamonds across branches
    p = project("diamond")
    v = versions(p)
    write(v, "a.py", "a", None, labels="la")
    write(v, "b.py", "b", "a")
    write(v, "c.py", "c", None, labels="lc", deps="b")
    write(v, "d.py", "d", None, labels="ld", deps="la")
    write(v, "e.py", "e", "c", deps=("d", "b"))
    write(v, "f.py", "f", "d", deps="lc")
    write(v, "g.py", "g", ("e", "f"), deps="a")
    ids = list("abcdefg")
    for c in READS:
        ask_cli("diamond", p, c)
    ask_targets("diamond", p, ids, ["la", "lc", "ld"])
    ask_plans("diamond", p, ids, ["la", "lc", "ld"], [[], ["b"], ["e"], ["g"], ["b", "d"], ["f", "c"]])


def shape_broken():
    """Graphs Alembic refuses, in shapes the oracle's broken kinds lack."""
    cases = {
        "cycle2": [("a", "b"), ("b", "a")],
        "cycle_tail": [("r", None), ("a", "r"), ("b", ("a", "c")), ("c", "b")],
        "missing_dep": [("a", None, None, "nope"), ("b", "a")],
        "dep_cycle": [("a", None, None, "b"), ("b", "a")],
        "missing_in_merge": [("a", None), ("b", ("a", "ghost"))],
        "label_is_id": [("a", None, "b"), ("b", "a")],
        "label_twice": [("a", None, "x"), ("b", None, "x")],
        "only_missing": [("b", "gone")],
        "dup_ids": [("a", None), ("a", None)],
        "self_dep": [("a", None, None, "a")],
    }
    for name, revs in cases.items():
        p = project("broken_" + name)
        for i, r in enumerate(revs):
            rid, down = r[0], r[1]
            labels = r[2] if len(r) > 2 else None
            deps = r[3] if len(r) > 3 else None
            write(versions(p), "f%d_%s.py" % (i, rid), rid, down, labels=labels, deps=deps)
        for c in READS + [["show", "a"], ["show", "head"], ["show", "heads"], ["history", "-r", "a:"],
                          ["history", "-r", ":a"], ["show", "base"]]:
            ask_cli("broken", p, c)
        for t in ("heads", "a", "+1"):
            ask_plan("broken", p, True, t, [])
        ask_plan("broken", p, False, "base", [revs[-1][0]])
    # a file that is not a revision at all, files without some identifiers
    p = project("partialfiles")
    v = versions(p)
    write(v, "a.py", "a", None)
    with open(os.path.join(v, "helpers.py"), "w") as f:
        f.write("def helper():\n    return 1\n")
    with open(os.path.join(v, "b.py"), "w") as f:
        f.write("revision = 'b'\n")
    with open(os.path.join(v, "c.py"), "w") as f:
        f.write("down_revision = 'a'\n")
    with open(os.path.join(v, "d.py"), "w") as f:
        f.write("revision = None\ndown_revision = 'a'\n")
    for c in READS + [["show", "b"]]:
        ask_cli("partialfiles", p, c)


def shape_exprs():
    """Identifiers written as expressions Python evaluates at import, and duplicates with labels."""
    bodies = {
        "concat": "revision = 'b' + 'x'\ndown_revision = 'a'\n",
        "name_ref": "PARENT = 'a'\nrevision = 'bx'\ndown_revision = PARENT\n",
        "unpack": "revision, down_revision = 'bx', 'a'\n",
        "set_labels": "revision = 'bx'\ndown_revision = 'a'\nbranch_labels = {'lx'}\n",
        "int_down": "revision = 'bx'\ndown_revision = 1\n",
        "int_rev": "revision = 12\ndown_revision = 'a'\n",
        "list_plus": "revision = 'bx'\ndown_revision = ['a'] + []\n",
        "conditional": "revision = 'bx'\ndown_revision = 'a' if True else None\n",
        "fstring": "P = 'a'\nrevision = f'b{P}'\ndown_revision = f'{P}'\n",
        "bytes_rev": "revision = b'bx'\ndown_revision = 'a'\n",
        "augmented": "revision = 'b'\nrevision += 'x'\ndown_revision = 'a'\n",
        "in_if": "if True:\n    revision = 'bx'\ndown_revision = 'a'\n",
        "in_function": "def f():\n    global revision\n    revision = 'zz'\nrevision = 'bx'\ndown_revision = 'a'\n",
        "walrus": "down_revision = (p := 'a')\nrevision = 'b' + p\n",
        "del_labels": "revision = 'bx'\ndown_revision = 'a'\nbranch_labels = 'q'\ndel branch_labels\n",
        "none_labels_tuple": "revision = 'bx'\ndown_revision = ('a', None)\n",
        "empty_tuple_down": "revision = 'bx'\ndown_revision = ()\n",
        "nested_tuple": "revision = 'bx'\ndown_revision = (('a',),)\n",
        "type_alias_str": "revision: 'str' = 'bx'\ndown_revision: 'str' = 'a'\n",
        "dict_get": "revision = {'r': 'bx'}['r']\ndown_revision = 'a'\n",
    }
    for name, body in bodies.items():
        p = project("expr_" + name)
        write(versions(p), "a.py", "a", None)
        write(versions(p), "b.py", "bx", "a", body=body)
        for c in [["heads"], ["history"], ["show", "head"], ["branches"], ["heads", "--resolve-dependencies"]]:
            ask_cli("exprs", p, c)
    dups = {
        "dup_label_shadowed": [("a", None), ("b", "a", "lb"), ("b", "a")],
        "dup_label_winner": [("a", None), ("b", "a"), ("b", "a", "lb")],
        "dup_label_both": [("a", None), ("b", "a", "lb"), ("b", "a", "lb")],
        "dup_other_parent": [("a", None), ("c", None), ("b", "a", "lb"), ("b", "c")],
        "dup_base": [("a", None, "la"), ("a", None)],
    }
    for name, revs in dups.items():
        p = project(name)
        for i, r in enumerate(revs):
            write(versions(p), "f%d_%s.py" % (i, r[0]), r[0], r[1], labels=r[2] if len(r) > 2 else None)
        for c in READS + [["show", "lb"], ["show", "lb@head"], ["show", "a"], ["show", "la"], ["history", "-r", "lb@base:"]]:
            ask_cli("dups", p, c)


def broken_project(shape, name, revs, extra=()):
    """revs: (id, down, labels, deps); asks the reads, show of each id, and a few plans."""
    p = project(name)
    for i, r in enumerate(revs):
        rid, down = r[0], r[1]
        labels = r[2] if len(r) > 2 else None
        deps = r[3] if len(r) > 3 else None
        write(versions(p), "f%d_%s.py" % (i, rid.replace("@", "_")), rid, down, labels=labels, deps=deps)
    for c in READS + [["show", "head"], ["show", "heads"], ["show", "base"], ["history", "-r", "base:heads"]] \
            + [["show", r[0]] for r in revs[:4]] + list(extra):
        ask_cli(shape, p, c)
    for t in ("heads", "+1", revs[0][0]):
        ask_plan(shape, p, True, t, [])
    ask_plan(shape, p, False, "base", [revs[-1][0]])
    return p


def shape_refs():
    """down_revision / depends_on that name a branch label, an id prefix, a keyword, a label
    held by several revisions, or a label equal to another revision's id."""
    cases = {
        "down_is_label": [("a1", None, "la"), ("b1", "la")],
        "down_is_label_merge": [("a1", None, "la"), ("c1", None), ("b1", ("la", "c1"))],
        "down_is_prefix": [("abc123", None), ("b1", "abc")],
        "down_is_prefix_in_tuple": [("abc123", None), ("c1", None), ("b1", ("c1", "abc"))],
        "dep_is_prefix": [("abc123", None), ("b1", None, None, "abc")],
        "dep_is_label": [("a1", None, "la"), ("b1", None, None, "la")],
        "dep_is_label_same_branch": [("a1", None, "la"), ("b1", "a1", None, "la")],
        "dep_is_own_label": [("a1", None), ("b1", "a1", "lb", "lb")],
        "dep_is_descendant": [("a1", None), ("b1", "a1"), ("c1", "b1")] and
                             [("a1", None, None, "c1"), ("b1", "a1"), ("c1", "b1")],
        "dep_is_descendant_label": [("a1", None, None, "lc"), ("b1", "a1"), ("c1", "b1", "lc")],
        "down_is_own_label": [("a1", None), ("b1", "lb", "lb")],
        "down_is_descendant_label": [("a1", "lc"), ("b1", "a1"), ("c1", "b1", "lc")],
        "down_is_keyword_head": [("a1", None), ("b1", "head")],
        "down_is_keyword_base": [("a1", None), ("b1", "base")],
        "down_is_keyword_heads": [("a1", None), ("b1", "heads")],
        "dep_is_keyword_head": [("a1", None), ("b1", "a1", None, "head")],
        "dep_is_keyword_base": [("a1", None), ("b1", "a1", None, "base")],
        "down_label_shared": [("a1", None, "x"), ("c1", None, "x"), ("b1", "x")],
        "dep_label_shared": [("a1", None, "x"), ("c1", None, "x"), ("b1", None, None, "x")],
        "label_is_other_id": [("a1", None, "b1"), ("b1", None)],
        "label_is_other_id_down": [("a1", None, "c1"), ("c1", None), ("b1", "c1")],
        "label_is_other_id_dep": [("a1", None, "c1"), ("c1", None), ("b1", None, None, "c1")],
        "label_is_own_id": [("a1", None, "a1"), ("b1", "a1")],
        "down_is_label_at": [("a1", None, "la"), ("b1", "la@head")],
        "dep_is_label_at": [("a1", None, "la"), ("b1", None, None, "la@head")],
        "dep_is_relative": [("a1", None), ("b1", "a1"), ("c1", None, None, "b1-1")],
        "down_and_dep_same": [("a1", None), ("b1", "a1", None, "a1")],
        "dep_on_label_and_id": [("a1", None, "la"), ("b1", None, None, ("la", "a1"))],
        "down_label_and_id": [("a1", None, "la"), ("b1", ("la", "a1"))],
        "dep_missing_label": [("a1", None), ("b1", None, None, "nolabel")],
        "down_is_upper": [("a1", None), ("b1", "A1")],
        "dep_label_dup_two_deps": [("a1", None, "la"), ("c1", None, "lc"), ("b1", None, None, ("la", "lc", "a1"))],
        "dep_cycle_via_label": [("a1", None, "la", "lb"), ("b1", None, "lb", "la")],
        "dep_cycle_long": [("a1", None, None, "c1"), ("b1", None, None, "a1"), ("c1", None, None, "b1")],
        "cycle_long": [("r", None), ("a1", ("r", "c1")), ("b1", "a1"), ("c1", "b1")],
        "cycle_only": [("a1", "c1"), ("b1", "a1"), ("c1", "b1")],
        "self_down_tuple": [("a1", None), ("b1", ("a1", "b1"))],
        "dep_on_descendant_other_branch": [("a1", None), ("b1", "a1", None, "d1"), ("c1", "a1"), ("d1", "c1")],
        "merge_parent_is_dep_ancestor": [("a1", None), ("b1", "a1"), ("c1", None, None, "a1"), ("m1", ("b1", "c1"))],
        "merge_parent_is_ancestor": [("a1", None), ("b1", "a1"), ("m1", ("a1", "b1"))],
        "down_label_dep_above": [("a1", None, "la"), ("b1", "la"), ("c1", "b1", None, "a1")],
        "down_label_own_dep": [("a1", None, "la"), ("c1", None), ("b1", "la", None, "c1")],
        "down_label_dep_elsewhere": [("a1", None, "la"), ("b1", "la"), ("c1", None), ("d1", "c1", None, "a1")],
        "down_label_cycle_dep": [("a1", None), ("b1", "lb", "lb", "a1")],
        "down_label_and_missing": [("a1", None, "la"), ("b1", "la"), ("c1", "gone")],
        "down_label_cycle_and_missing_dep": [("a1", None), ("b1", "lb", "lb"), ("c1", "a1", None, "gone")],
        "down_label_holder_shadowed": [("a1", None, "la"), ("a1", None), ("b1", "la")],
    }
    for name, revs in cases.items():
        broken_project("refs", "refs_" + name, revs,
                       extra=[["show", lab] for lab in ("la", "lb", "lc", "x") if any(
                           lab in (r[2] if len(r) > 2 and isinstance(r[2], tuple) else (r[2] if len(r) > 2 else None,))
                           for r in revs)])


def raw(d, fname, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


def shape_hostile():
    """Revision files Python reads in odd ways: encodings, cookies, BOMs, NUL bytes, long lines,
    identifiers that are not strings, __init__.py, sourceless .pyc, symlinks, a package path
    as script_location."""
    base = b"revision = 'bx'\ndown_revision = 'a'\n"
    q3 = b"'" * 3
    files = {
        "bom": b"\xef\xbb\xbf" + base,
        "bom_cookie_utf8": b"\xef\xbb\xbf# -*- coding: utf-8 -*-\n" + base,
        "bom_cookie_latin1": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\n" + base,
        "cookie_latin1": b"# -*- coding: latin-1 -*-\n\"\"\"caf\xe9\"\"\"\n" + base,
        "cookie_line2": b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n\"\"\"\xa4\"\"\"\n" + base,
        "cookie_line3": b"#\n#\n# coding: latin-1\n\"\"\"caf\xe9\"\"\"\n" + base,
        "cookie_unknown": b"# coding: klingon\n" + base,
        "cookie_utf16": b"# coding: utf-16\n" + base,
        "cookie_after_code": b"x = 1\n# coding: latin-1\n\"\"\"caf\xe9\"\"\"\n" + base,
        "not_utf8": b"\"\"\"caf\xe9\"\"\"\n" + base,
        "not_utf8_comment": b"# caf\xe9\n" + base,
        "nul_byte": b"\"\"\"doc\"\"\"\n" + base + b"x = '\x00'\n",
        "nul_in_comment": b"# \x00\n" + base,
        "long_line": b"\"\"\"" + b"x" * 200000 + b"\"\"\"\n" + base,
        "long_id": b"revision = '" + b"b" * 5000 + b"'\ndown_revision = 'a'\n",
        "cr_only": b"\"\"\"doc\rmore\"\"\"\r" + base.replace(b"\n", b"\r"),
        "form_feed": b"\x0c" + base,
        "tabs_spaces": b"if True:\n\tx = 1\n        y = 2\n" + base,
        "int_rev": b"revision = 12\ndown_revision = 'a'\n",
        "tuple_rev": b"revision = ('bx',)\ndown_revision = 'a'\n",
        "bytes_down": b"revision = 'bx'\ndown_revision = b'a'\n",
        "set_down": b"revision = 'bx'\ndown_revision = {'a'}\n",
        "list_down": b"revision = 'bx'\ndown_revision = ['a']\n",
        "union_annot": b"from typing import Union, Sequence\nrevision: str = 'bx'\ndown_revision: Union[str, None] = 'a'\n"
                       b"branch_labels: Union[str, Sequence[str], None] = None\n",
        "annot_only": b"revision: str\nrevision = 'bx'\ndown_revision: str = 'a'\n",
        "fstring_rev": b"revision = f'bx'\ndown_revision = 'a'\n",
        "concat_implicit": b"revision = 'b' 'x'\ndown_revision = 'a'\n",
        "raw_string": b"revision = r'bx'\ndown_revision = R'a'\n",
        "escaped": b"revision = 'b\\x78'\ndown_revision = '\\141'\n",
        "unicode_escape": b"revision = '\\u0062x'\ndown_revision = '\\N{LATIN SMALL LETTER A}'\n",
        "triple_quoted_id": b"revision = " + q3 + b"bx" + q3 + b"\ndown_revision = \"\"\"a\"\"\"\n",
        "paren_id": b"revision = ('bx')\ndown_revision = (\n    'a'\n)\n",
        "semicolons": b"revision = 'bx'; down_revision = 'a'\n",
        "continuation": b"revision = \\\n    'bx'\ndown_revision = 'a'\n",
        "rev_none": b"revision = None\ndown_revision = 'a'\n",
        "down_true": b"revision = 'bx'\ndown_revision = True\n",
        "labels_int": b"revision = 'bx'\ndown_revision = 'a'\nbranch_labels = 5\n",
        "labels_dict": b"revision = 'bx'\ndown_revision = 'a'\nbranch_labels = {'x': 1}\n",
        "deps_list_none": b"revision = 'bx'\ndown_revision = 'a'\ndepends_on = [None]\n",
        "deps_tuple_empty_str": b"revision = 'bx'\ndown_revision = 'a'\ndepends_on = ('',)\n",
        "syntax_tab_error": b"if True:\n        x = 1\n\ty = 2\n" + base,
        "del_rev": b"revision = 'bx'\ndown_revision = 'a'\ndel revision\n",
        "global_stmt": b"global revision\nrevision = 'bx'\ndown_revision = 'a'\n",
        "class_attr": b"class X:\n    revision = 'zz'\nrevision = 'bx'\ndown_revision = 'a'\n",
        "try_assign": b"try:\n    revision = 'bx'\nexcept Exception:\n    pass\ndown_revision = 'a'\n",
        "for_assign": b"for revision in ['bx']:\n    pass\ndown_revision = 'a'\n",
        "with_assign": b"import contextlib\nwith contextlib.nullcontext('bx') as revision:\n    pass\ndown_revision = 'a'\n",
        "import_as": b"import os as revision\nrevision = 'bx'\ndown_revision = 'a'\n",
        "match_stmt": b"match 1:\n    case 1:\n        revision = 'bx'\ndown_revision = 'a'\n",
        "walrus_top": b"(revision := 'bx')\ndown_revision = 'a'\n",
        "star_assign": b"revision, *rest = 'bx', 1\ndown_revision = 'a'\n",
        "chain_assign": b"revision = x = 'bx'\ndown_revision = 'a'\n",
        "chain_assign2": b"x = revision = 'bx'\ndown_revision = 'a'\n",
        "type_stmt": b"type X = int\nrevision = 'bx'\ndown_revision = 'a'\n",
        "dunder_all": b"__all__ = ['revision']\nrevision = 'bx'\ndown_revision = 'a'\n",
    }
    for name, data in files.items():
        p = project("hostile_" + name)
        write(versions(p), "a.py", "a", None)
        raw(versions(p), "b.py", data)
        for c in [["heads"], ["history"], ["show", "head"], ["branches"], ["show", "bx"]]:
            ask_cli("hostile", p, c)
    # file names and layouts
    p = project("hostile_init")
    write(versions(p), "a.py", "a", None)
    for fname, rid in (("__init__.py", "b"), ("_private.py", "c"), ("c.PY", "d"), ("e.pyw", "e"), ("f.py~", "f"),
                       ("#g.py#", "g"), (".h.py", "h"), ("i j.py", "i"), ("k.tar.py", "k"), ("l-m.py", "l"),
                       ("3n.py", "n")):
        write(versions(p), fname, rid, "a")
    for c in READS:
        ask_cli("hostile", p, c)
    for sourceless in ("false", "true"):
        p = project("hostile_pyc_" + sourceless,
                    ini="[alembic]\nscript_location = %%(here)s/alembic\nsourceless = %s\n" % sourceless)
        write(versions(p), "a.py", "a", None)
        write(versions(p), "b.py", "b", "a")
        write(versions(p), "c.py", "c", "b")
        subprocess.run([PYTHON, "-m", "compileall", "-q", versions(p)], check=True)
        subprocess.run([PYTHON, "-m", "compileall", "-q", "-b", os.path.join(versions(p), "c.py")], check=True)
        os.remove(os.path.join(versions(p), "b.py"))   # only b's __pycache__ .pyc is left
        os.remove(os.path.join(versions(p), "c.py"))   # c.pyc beside it, legacy layout
        for c in READS:
            ask_cli("hostile", p, c)
    p = project("hostile_symlinks")
    write(versions(p), "a.py", "a", None)
    write(os.path.join(p, "outside"), "b.py", "b", "a")
    os.symlink(os.path.join(p, "outside", "b.py"), os.path.join(versions(p), "b_link.py"))
    os.symlink(os.path.join(p, "nowhere.py"), os.path.join(versions(p), "dangling.py"))
    os.symlink(versions(p), os.path.join(versions(p), "loop"))
    for c in READS:
        ask_cli("hostile", p, c)
    # recursive locations with a symlinked folder and a loop
    p = project("hostile_recursive", ini="[alembic]\nscript_location = %(here)s/alembic\nrecursive_version_locations = true\n")
    write(versions(p), "a.py", "a", None)
    write(os.path.join(versions(p), "sub"), "b.py", "b", "a")
    write(os.path.join(versions(p), "sub", "deeper"), "c.py", "c", "b")
    write(os.path.join(p, "outside"), "d.py", "d", "c")
    os.symlink(os.path.join(p, "outside"), os.path.join(versions(p), "linked"))
    os.symlink(versions(p), os.path.join(versions(p), "sub", "loop"))
    write(os.path.join(versions(p), "__pycache__"), "e.py", "e", "a")
    write(os.path.join(versions(p), ".hidden"), "f.py", "f", "a")
    for c in READS:
        ask_cli("hostile", p, c)
    # script_location as a package path
    p = project("hostile_package", ini="[alembic]\nscript_location = hpkg:migrations\n")
    pkg = os.path.join(p, "hpkg")
    os.makedirs(os.path.join(pkg, "migrations", "versions"))
    open(os.path.join(pkg, "__init__.py"), "w").close()
    shutil.copy(os.path.join(p, "alembic", "env.py"), os.path.join(pkg, "migrations", "env.py"))
    write(os.path.join(pkg, "migrations", "versions"), "a.py", "a", None)
    write(os.path.join(pkg, "migrations", "versions"), "b.py", "b", "a")
    for c in READS + [["show", "b"]]:
        ask_cli("hostile", p, c)


def shape_deep():
    """A chain deep enough for any recursion to overflow, and a 30-head merge of merges."""
    p = project("deep20k")
    ids = linear(p, 3000 if QUICK else 20000)
    for c in [["heads"], ["show", "base+1"], ["show", "head-%d" % (len(ids) - 2)], ["history", "-r", "-2:"],
              ["history", "-r", "%s:%s" % (ids[5], ids[8])], ["branches"]]:
        ask_cli("deep", p, c)
    ask_plan("deep", p, True, "heads", [])
    ask_plan("deep", p, False, "base", [ids[-1]])
    ask_plan("deep", p, True, ids[-1][:6], [ids[3]])
    p = project("fanin")
    v = versions(p)
    write(v, "root.py", "root", None)
    heads = []
    for i in range(30):
        write(v, "h%02d.py" % i, "h%02d" % i, "root" if i % 3 else None, deps="h%02d" % (i - 1) if i % 5 == 4 else None)
        heads.append("h%02d" % i)
    write(v, "m.py", "m30", tuple(heads), labels="big")
    write(v, "n.py", "n", "m30")
    write(v, "o.py", "o", ("n", "root"))
    for c in READS + [["show", "m30"], ["history", "-r", "h07:"], ["history", "-r", "big@base:big@head"]]:
        ask_cli("fanin", p, c)
    ask_plans("fanin", p, ["root", "h00", "h13", "m30", "n", "o"], ["big"], [[], heads[:15], ["m30"], ["o"]])


SHAPES = [("hostile", shape_hostile), ("deep", shape_deep), ("refs", shape_refs), ("exprs", shape_exprs), ("targets", shape_targets), ("keywordids", shape_keywordids), ("files", shape_files), ("ini", shape_ini),
          ("db", shape_db), ("big", shape_big), ("broken", shape_broken)]


def main():
    os.makedirs(ROOT, exist_ok=True)
    for name, fn in SHAPES:
        if on(name):
            fn()
    total = sum(s[0] for s in STATS.values())
    bad = sum(s[1] for s in STATS.values())
    print("%d questions, %d differences: %s" % (total, bad, ", ".join(
        "%s %d/%d" % (k, v[1], v[0]) for k, v in STATS.items())))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

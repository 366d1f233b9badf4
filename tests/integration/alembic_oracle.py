#!/usr/bin/python3
"""Generates random Alembic projects and records what the installed Alembic answers.

Usage: alembic_oracle.py OUT_DIR [--projects N] [--seed S]

Writes OUT_DIR/pNNN/ (real Alembic projects) and OUT_DIR/cases.json: for each
project a list of {args, stdout, failed, error} where args is a Retort command line
and stdout/error are Alembic's answers to the same question, asked through
Alembic's own Python API (command.* with a captured stdout, and
ScriptDirectory._upgrade_revs/_downgrade_revs for plans).

Where Alembic's answer depends on Python's hash-randomised set order (branch
labels, "Branches into", the children listed by `branches`), the text is
normalised by normalise(); tst_differential applies the same normalisation.
"""
import contextlib
import io
import json
import os
import random
import re
import string
import sys
import warnings

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError

warnings.simplefilter("ignore")

INDICATORS = {"head", "effective head", "current", "branchpoint", "mergepoint"}


def normalise(text):
    """Sorts the set-ordered lists in Alembic output so runs compare."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        for prefix in ("Branches into: ", "Branch names: "):
            if line.startswith(prefix):
                line = prefix + ", ".join(sorted(line[len(prefix):].split(", ")))
        if not line.startswith("Rev: "):
            line = re.sub(r"\(([^()]*, [^()]*)\)",
                          lambda g: "(%s)" % ", ".join(sorted(g.group(1).split(", "))), line)
        out.append(line)
        i += 1
    # `branches`: the "   -> child" lines under a branch point are set-ordered.
    result, block = [], []
    for line in out:
        if re.match(r"^ +-> ", line):
            block.append(line)
            continue
        if block:
            result.extend(sorted(block))
            block = []
        result.append(line)
    result.extend(sorted(block))
    return "\n".join(result)


def normalise_error(text):
    """Alembic lists the overlapping revisions of a request from a set."""
    m = re.match(r"^(Requested revision \S+ overlaps with other requested revisions )(.*)$", text)
    if m:
        return m.group(1) + ", ".join(sorted(m.group(2).split(", ")))
    # Which of two revisions sharing a branch label is named first depends on the order of
    # a set (_map_branch_labels iterates has_branch_labels): keep the part both agree on.
    m = re.match(r"^(Branch name '[^']*' in revision )\S+ already used by revision \S+$", text)
    if m:
        return m.group(1)
    return text


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def rev_id(self, prefix_pool):
        r = self.rng
        while True:
            kind = r.random()
            if kind < 0.15 and prefix_pool:
                rid = r.choice(prefix_pool) + "".join(r.choice("0123456789abcdef") for _ in range(8))
            elif kind < 0.2:
                rid = "%s_%04d" % (r.choice(["init", "add", "rev", "users"]), r.randrange(10000))
            else:
                rid = "".join(r.choice("0123456789abcdef") for _ in range(12))
            if rid not in self.used:
                self.used.add(rid)
                return rid


def py_value(rng, value, annotated_type=None):
    """Renders a str / tuple / None in one of the forms real revision files use."""
    q = rng.choice(['"', "'"])
    if value is None:
        return "None"
    if isinstance(value, str):
        style = rng.random()
        if style < 0.05:
            return '"""%s"""' % value
        if style < 0.1:
            return "(%s%s%s)" % (q, value, q)
        return "%s%s%s" % (q, value, q)
    items = ["%s%s%s" % (q, v, q) for v in value]
    style = rng.random()
    if style < 0.3:
        return "(\n    " + ",\n    ".join(items) + ",\n)"
    if style < 0.5:
        return "[" + ", ".join(items) + "]"
    if style < 0.6 and len(items) > 1:
        return ", ".join(items)
    if len(items) == 1:
        return "(%s,)" % items[0]
    return "(" + ", ".join(items) + ")"


def assign(rng, name, value, typ):
    rendered = py_value(rng, value)
    if rendered.count("\n") == 0 and "," in rendered and not rendered.startswith(("(", "[")):
        return "%s = %s\n" % (name, rendered)  # a bare tuple cannot carry an annotation
    if rng.random() < 0.4:
        return "%s: %s = %s\n" % (name, typ, rendered)
    return "%s = %s\n" % (name, rendered)


# Line boundaries of str.splitlines() that are not "\n": Alembic's verbose log splits on them.
SEPARATORS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def write_revision(rng, path, rev, down, labels, depends, message, legacy=False):
    """Writes one revision file. Shapes real projects have: CRLF line ends (with escapes in
    the docstring, which Python evaluates after newline translation), PEP 263 latin-1
    files, docstrings with splitlines() separators, legacy files without `revision`."""
    header = ""
    latin1 = rng.random() < 0.06
    if latin1:
        header += "# -*- coding: latin-1 -*-\n"
        message += " caf\u00e9"
    elif rng.random() < 0.1:
        header += "# -*- coding: utf-8 -*-\n"
    if rng.random() < 0.05:
        header += "#!/usr/bin/env python\n"
    downs = "" if down is None else (down if isinstance(down, str) else ", ".join(down))
    if rng.random() < 0.12:
        message += " tab\\there"          # an escape: TAB unless the docstring is raw
    if rng.random() < 0.12:
        sep = rng.choice(SEPARATORS if not latin1 else ["\f", "\v", "\x1c", "\x85"])
        message += " first%ssecond" % sep
    if rng.random() < 0.05:
        message += "\n\nmore%stext\n" % rng.choice(["\f", "\x1e", "\v"])
    body_doc = "%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-0%d-1%d 10:%02d:00.000000\n" % (
        message, rev, downs, rng.randrange(1, 10), rng.randrange(10), rng.randrange(60))
    style = rng.random()
    if style < 0.05:
        doc = ""
    elif style < 0.15:
        doc = "'''%s\n'''\n" % body_doc
    elif style < 0.2:
        doc = 'r"""%s\n"""\n' % body_doc
    else:
        doc = '"""%s\n"""\n' % body_doc
    text = header + doc
    text += "from typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
    text += "# revision identifiers, used by Alembic.\n"
    if not legacy:
        text += assign(rng, "revision", rev, "str")
    text += assign(rng, "down_revision", down, "Union[str, Sequence[str], None]")
    if labels is not None or rng.random() < 0.7:
        text += assign(rng, "branch_labels", labels, "Union[str, Sequence[str], None]")
    if depends is not None or rng.random() < 0.7:
        text += assign(rng, "depends_on", depends, "Union[str, Sequence[str], None]")
    text += "\n\ndef upgrade() -> None:\n"
    if rng.random() < 0.3:
        text += '    op.execute("""\nrevision = \'not_this_one\'\ndown_revision = None\n""")\n'
    if sys.version_info >= (3, 12) and rng.random() < 0.1:
        # Python 3.12+ syntax Alembic on this Python imports (PEP 701 f-strings, PEP 695)
        text += rng.choice([
            '    op.execute(f"UPDATE t SET a = {", ".join(["1", "2"])!r}")\n',
            '    note = f"{\n        "revision = \'not_this_one\'"  # a comment in the field\n    }"\n',
            '    def pick[T](x: T) -> T:\n        return x\n    type Row = tuple[int, str]\n',
        ])
    text += "    op.create_table('t_%s', sa.Column('id', sa.Integer(), primary_key=True))\n" % rev[:6]
    text += "\n\ndef downgrade() -> None:\n"
    text += "    pass\n" if rng.random() < 0.2 else "    op.drop_table('t_%s')\n" % rev[:6]
    crlf = rng.random() < 0.12
    with open(path, "w", encoding="latin-1" if latin1 else "utf-8", newline="\r\n" if crlf else "\n") as f:
        f.write(text)


def make_project(rng, root, n_revs, broken=None):
    versions = os.path.join(root, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///%(here)s/db.sqlite\n")
    with open(os.path.join(root, "migrations", "env.py"), "w") as f:
        f.write("# not used by the oracle\n")
    # files Alembic ignores
    open(os.path.join(versions, "__init__.py"), "w").close()
    with open(os.path.join(versions, "NOTES.txt"), "w") as f:
        f.write("revision = 'nope'\n")

    gen = Gen(rng)
    prefix_pool = ["".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([2, 3, 4, 5]))) for _ in range(3)]
    revs = []      # (id, down, labels, depends)
    children = {}
    label_names = []
    for i in range(n_revs):
        rid = gen.rev_id(prefix_pool)
        heads = [r[0] for r in revs if not children.get(r[0])]
        roll = rng.random()
        if not revs or roll < 0.04:
            down = None
        elif roll < 0.14 and len(heads) >= 2:
            down = tuple(rng.sample(heads, rng.choice([2, 2, 3]) if len(heads) >= 3 else 2))
        elif roll < 0.3:
            down = rng.choice(revs)[0]
        else:
            down = rng.choice(heads) if heads else rng.choice(revs)[0]
        labels = None
        if rng.random() < 0.08:
            name = "lbl_" + "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.choice([2, 5])))
            if name not in label_names:
                label_names.append(name)
                labels = name if rng.random() < 0.5 else (name,)
        depends = None
        if revs and rng.random() < 0.07:
            target = rng.choice(revs)
            depends = target[0]
            if target[2] and rng.random() < 0.5:
                depends = target[2] if isinstance(target[2], str) else target[2][0]
        revs.append((rid, down, labels, depends))
        for d in ([] if down is None else [down] if isinstance(down, str) else list(down)):
            children.setdefault(d, []).append(rid)

    if broken == "missing_parent" and revs:
        rid, down, labels, depends = revs[-1]
        revs[-1] = (rid, "deadbeef0000", labels, depends)
    elif broken == "cycle" and len(revs) >= 3:
        a = revs[0]
        revs[0] = (a[0], revs[-1][0], a[2], a[3])
    elif broken == "duplicate" and len(revs) >= 2:
        rid, down, labels, depends = revs[-1]
        revs.append((rid, revs[0][0], None, None))
    elif broken == "label_clash" and len(revs) >= 2:
        a, b = revs[0], revs[1]
        revs[0] = (a[0], a[1], "dup_label", a[3])
        revs[1] = (b[0], b[1], ("dup_label",), b[3])
    elif broken == "self_loop" and revs:
        rid, down, labels, depends = revs[-1]
        revs[-1] = (rid, rid, labels, depends)
    elif broken == "illegal_char" and revs:
        # '-', '+' and '@' make Revision() raise RevisionError while the map is built
        rid, down, labels, depends = revs[-1]
        revs[-1] = (rng.choice(["x-", "y+", "z@"]) + rid, down, labels, depends)
    elif broken == "duplicate_label" and len(revs) >= 2:
        # the same id twice, both with one label: the shadowed file's label clashes
        rid, down, labels, depends = revs[-1]
        revs[-1] = (rid, down, "dup_lbl", depends)
        revs.append((rid, down, ("dup_lbl",), None))
    elif broken == "shadowed_label" and len(revs) >= 2:
        # the same id twice, the file loaded first (shadowed) with a label of its own: Alembic
        # keeps that revision reachable through the label, with its own edges and labels.
        # The winner has the same parent, another one, or none; the shadowed one may be a base.
        rid, down, labels, depends = revs[-1]
        shape = rng.choice(["same", "other", "base"])
        if shape == "base":
            down = None
        revs[-1] = (rid, down, "shadow_lbl", depends)
        revs.append((rid, down if shape == "same" else rng.choice([None, revs[0][0]]), None, None))
        label_names.insert(0, "shadow_lbl")
    elif broken == "label_parent" and len(revs) >= 2:
        # a down_revision naming a branch label: Alembic links the label's revision below, then
        # fails in the walk that meets it first: KeyError (a label found from a head), a cycle
        # (its own label, a descendant's), or a broken map (a revision above it depends on one)
        shape = rng.choice(["other", "own", "descendant", "dep_above"])
        rid, down, labels, depends = revs[-1]
        if shape == "own":
            revs[-1] = (rid, "own_lbl", "own_lbl", depends)
        elif shape == "descendant":
            revs[-1] = (rid, down, "desc_lbl", depends)
            a = revs[0]
            revs[0] = (a[0], "desc_lbl", a[2], a[3])
        else:
            a = revs[0]
            revs[0] = (a[0], a[1], "held_lbl", a[3])
            revs[-1] = (rid, "held_lbl", labels, depends)
            if shape == "dep_above":
                revs.append((gen.rev_id(prefix_pool), rid, None, revs[0][0]))
    elif broken == "duplicate_head" and len(revs) >= 2:
        # the same id twice, both heads: Alembic lists it twice
        rid = revs[-1][0]
        revs.append((rid, revs[-1][1], None, None))

    for idx, (rid, down, labels, depends) in enumerate(revs):
        name = "%s_%s.py" % (rid, "".join(rng.choice(string.ascii_lowercase) for _ in range(6)))
        if idx > 0 and revs[idx - 1][0] == rid:
            name = "dup_" + name
        elif broken == "shadowed_label" and idx + 1 < len(revs) and revs[idx + 1][0] == rid:
            name = "0shadow_" + name   # listed before its duplicate: the one shadowed
        msg = rng.choice(["add table", "create users", "widen column", "backfill data", "merge heads",
                          "rename index", "café menu ünïcode", "add \"quoted\" column"]) + " %d" % idx
        legacy = broken is None and re.match(r"^[a-f0-9]+$", rid) is not None and rng.random() < 0.08
        if legacy:
            name = rid + ".py"   # Alembic's _legacy_rev takes the id from the name
        write_revision(rng, os.path.join(versions, name), rid, down, labels, depends, msg, legacy)
    if broken == "syntax_error" and revs:
        # one file Python cannot compile: every command fails, as the import does
        victim = sorted(os.listdir(versions))[-1]
        if victim.endswith(".py") and not victim.startswith("__"):
            with open(os.path.join(versions, victim), "a") as f:
                f.write(rng.choice(["\ndef helper(:):\n    pass\n", "\nx = (1,\n", "\nif True:\npass\n",
                                    "\ny = 'unterminated\n", "\nz = " + "(" * 201 + "1" + ")" * 201 + "\n"]))
    return revs, label_names


class Utf8Buffer(io.StringIO):
    """A captured stdout that, like a UTF-8 terminal, lets Alembic print non-ASCII text."""
    encoding = "utf-8"


def ask(cfg, fn, *args, **kw):
    """What `alembic` on the command line answers: stdout (also what was printed before a
    failure), and how it ended. A CommandError is Alembic's "FAILED: ..." on stdout and exit
    status 255; any other exception escapes its CommandLine: a traceback, exit status 1."""
    buf = Utf8Buffer()
    cfg.stdout = buf
    try:
        fn(cfg, *args, **kw)
        return {"stdout": normalise(buf.getvalue()), "failed": False, "error": ""}
    except CommandError as e:
        return {"stdout": normalise(buf.getvalue()), "failed": True, "error": normalise_error(str(e))}
    except Exception as e:  # Alembic crashed (KeyError, AssertionError, ...)
        return {"stdout": normalise(buf.getvalue()), "failed": True, "error": "", "crash": type(e).__name__}


def plan_answer(script, upgrade, target, current):
    try:
        steps = script._upgrade_revs(target, current) if upgrade else script._downgrade_revs(target, current)
        return {"stdout": "".join(str(s) + "\n" for s in steps), "failed": False, "error": ""}
    except CommandError as e:
        return {"stdout": "", "failed": True, "error": normalise_error(str(e))}
    except Exception as e:
        return {"stdout": "", "failed": True, "error": "", "crash": type(e).__name__}


def show_current(cfg, rows):
    """alembic show current without an env.py: the version table's rows as the database's heads."""
    script = ScriptDirectory.from_config(cfg)
    for sc in script.get_revisions(tuple(rows)):
        cfg.print_stdout(sc.log_entry)


def write_database(rng, root, ids):
    """db.sqlite with an alembic_version table holding 0-2 rows, or no table at all."""
    import sqlite3
    path = os.path.join(root, "db.sqlite")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    rows = []
    if rng.random() < 0.8:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        rows = rng.sample(ids, min(len(ids), rng.choice([0, 1, 1, 2])))
        for r in rows:
            con.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (r,))
        con.commit()
        # the order Alembic reads them back in (no ORDER BY)
        rows = [r[0] for r in con.execute("SELECT version_num FROM alembic_version")]
    con.close()
    return rows


@contextlib.contextmanager
def one_script_directory(cfg):
    """Every command asked of one project reads one ScriptDirectory, as if each were its own
    process: Alembic builds the revision map from the files once per ScriptDirectory and keeps it
    only when the build succeeds (a failing build is redone from the files, and fails again, each
    time it is asked), and no read command changes it. Without this every question re-imported
    every revision file (80% of the oracle's time)."""
    shared = ScriptDirectory.from_config(cfg)
    original = ScriptDirectory.__dict__["from_config"]

    def from_config(cls, config):
        return shared if config is cfg else original.__func__(cls, config)

    ScriptDirectory.from_config = classmethod(from_config)
    try:
        yield shared
    finally:
        ScriptDirectory.from_config = original


def queries_for(rng, cfg, revs, labels):
    with one_script_directory(cfg) as script:
        return ask_all(rng, cfg, script, revs, labels)


def ask_all(rng, cfg, script, revs, labels):
    cases = []

    def add(args, answer):
        cases.append(dict(args=args, **answer))

    add(["heads"], ask(cfg, command.heads))
    add(["heads", "-v"], ask(cfg, command.heads, verbose=True))
    add(["heads", "--resolve-dependencies"], ask(cfg, command.heads, resolve_dependencies=True))
    add(["history"], ask(cfg, command.history))
    add(["history", "-v"], ask(cfg, command.history, verbose=True))
    add(["branches"], ask(cfg, command.branches))
    add(["branches", "-v"], ask(cfg, command.branches, verbose=True))
    try:
        script.revision_map._revision_map
    except Exception:
        # Targets Alembic refuses from their text alone, before it reads the map: the refusal,
        # not the broken map, is the answer (_parse_upgrade_target / _parse_downgrade_target).
        for r in ("-1:", ":-1", "base:-2", ":+0"):
            args = ["history", "--rev-range=" + r] if r.startswith("-") else ["history", "-r", r]
            add(args, ask(cfg, command.history, r))
        for up, t in ((True, "-1"), (True, "+0"), (True, "heads"), (False, "+1"), (False, "-1"), (False, "base")):
            add(["plan", "upgrade" if up else "downgrade", t, "--from", "base"], plan_answer(script, up, t, ()))
        return cases
    ids = [r[0] for r in revs]
    if not ids:
        return cases
    rows = write_database(rng, os.path.dirname(cfg.config_file_name), sorted(set(ids)))
    add(["show", "current"], ask(cfg, show_current, rows))
    targets = ["head", "heads", "base", "-1", "-2", "+1"]
    targets += rng.sample(ids, min(4, len(ids)))
    targets += [rng.choice(ids)[:n] for n in (2, 3, 4, 6)]
    for lab in labels[:3]:
        targets += [lab, lab + "@head", lab + "@-1", lab + "@+1", lab + "@base"]
    sample = rng.choice(ids)
    targets += [sample + "@head", sample + "+1", sample + "-1", sample + "@-1", "head-1", "base+1", "base+2",
                "nonexistent", "heads@head", "", "@", sample + "@"]
    for t in targets:
        add(["show", t], ask(cfg, command.show, t))
    for _ in range(4):
        a, b = rng.choice(ids), rng.choice(ids)
        for rng_text in ("%s:%s" % (a, b), "%s:" % a, ":%s" % b, "base:%s" % b, "%s:heads" % a, "%s:head" % a,
                         "-1:", ":-1", "%s::" % a, "base:%s:heads" % b):
            # argparse takes "-r -1:" for two options: a range that starts with '-' is
            # given the way the command line accepts it.
            args = ["history", "--rev-range=" + rng_text] if rng_text.startswith("-") else ["history", "-r", rng_text]
            add(args, ask(cfg, command.history, rng_text))
    # plans from a random current state
    for _ in range(6):
        k = rng.choice([0, 1, 1, 1, 2, 2, 3])
        current = tuple(rng.sample(ids, min(k, len(ids))))
        if rng.random() < 0.5:
            # a consistent state: heads of the applied set
            try:
                current = tuple(r.revision for r in script.revision_map._get_all_current(current)) if current else ()
            except Exception:
                pass
        frm = ",".join(current) if current else "base"
        up_targets = ["head", "heads", "+1", "+2", rng.choice(ids), rng.choice(ids)[:5]]
        down_targets = ["base", "-1", "-2", rng.choice(ids), rng.choice(ids) + "@-1"]
        for lab in labels[:2]:
            up_targets += [lab + "@head", lab + "@+1"]
            down_targets += [lab + "@base", lab + "@-1"]
        for t in up_targets:
            add(["plan", "upgrade", t, "--from", frm], plan_answer(script, True, t, current))
        for t in down_targets:
            add(["plan", "downgrade", t, "--from", frm], plan_answer(script, False, t, current))
    return cases


_STAMP_CONTEXT = []


def stamp_answer(script, target, current):
    """The version table `alembic stamp TARGET` leaves over the rows `current`: command.stamp's
    do_stamp (_stamp_revs of the revisions as a tuple) applied by a HeadMaintainer, as
    MigrationContext.run_migrations applies it. The context renders SQL (as_sql) instead of
    running it, so its heads set stands for the table (the two differ only when a row is
    missing, and then the set's KeyError comes first)."""
    from alembic.runtime.migration import HeadMaintainer, MigrationContext
    from alembic import util
    if not _STAMP_CONTEXT:
        _STAMP_CONTEXT.append(MigrationContext.configure(dialect_name="sqlite",
                                                         opts={"as_sql": True, "output_buffer": io.StringIO()}))
    ctx = _STAMP_CONTEXT[0]
    ctx.output_buffer.seek(0)
    ctx.output_buffer.truncate()
    try:
        maintainer = HeadMaintainer(ctx, tuple(current))
        for step in script._stamp_revs(util.to_tuple(target), tuple(current)):
            maintainer.update_to_step(step)
    except CommandError as e:
        return {"target": target, "current": list(current), "failed": True, "error": normalise_error(str(e))}
    except Exception as e:
        return {"target": target, "current": list(current), "failed": True, "error": "", "crash": type(e).__name__}
    return {"target": target, "current": list(current), "failed": False, "rows": sorted(maintainer.heads)}


def stamps_for(script, revs, labels):
    """`alembic stamp` from several version tables to many targets (its own generator, seeded
    by the project's first id, so the projects' other questions stay as they were)."""
    ids = [r[0] for r in revs]
    try:
        script.revision_map._revision_map
    except Exception:
        return []
    if not ids:
        return []
    rng = random.Random("stamp " + ids[0])
    out = []
    for _ in range(5):
        k = rng.choice([0, 1, 1, 2, 2, 3])
        current = tuple(dict.fromkeys(rng.sample(ids, min(k, len(ids)))))
        if rng.random() < 0.7:
            # a consistent table: none of its rows below another
            rm = script.revision_map
            current = tuple(c for c in current if not any(
                o != c and c in {a.revision for a in rm._get_ancestor_nodes([rm.get_revision(o)])} for o in current))
        targets = ["heads", "head", "base", "", rng.choice(ids), rng.choice(ids), rng.choice(ids)[:4],
                   rng.choice(ids) + "@head", "nonexistent"]
        for lab in labels[:2]:
            targets += [lab + "@head", lab + "@base", lab]
        for t in targets:
            out.append(stamp_answer(script, t, current))
    return out


def main():
    out = sys.argv[1]
    n_projects = 200
    seed = 20261126
    args = sys.argv[2:]
    if "--projects" in args:
        n_projects = int(args[args.index("--projects") + 1])
    if "--seed" in args:
        seed = int(args[args.index("--seed") + 1])
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    all_cases = []
    broken_kinds = ["missing_parent", "cycle", "duplicate", "label_clash", "self_loop", "syntax_error",
                    "duplicate_head", "syntax_error"]
    for p in range(n_projects):
        root = os.path.join(out, "p%03d" % p)
        broken = broken_kinds[(p // 10) % len(broken_kinds)] if p % 10 == 9 else None
        n = rng.choice([1, 2, 3, 5, 8, 13, 20, 30, 45])
        revs, labels = make_project(rng, root, n, broken)
        cfg = Config(os.path.join(root, "alembic.ini"))
        cases = queries_for(rng, cfg, revs, labels)
        all_cases.append({"project": root, "broken": broken, "cases": cases,
                          "stamps": stamps_for(ScriptDirectory.from_config(cfg), revs, labels)})
    # Kinds added later, each from its own generator so the projects above stay as they were.
    for k, broken in enumerate(["illegal_char", "illegal_char", "illegal_char", "duplicate_label", "duplicate_label",
                                "shadowed_label", "shadowed_label", "shadowed_label", "shadowed_label", "shadowed_label",
                                "shadowed_label", "label_parent", "label_parent", "label_parent", "label_parent",
                                "label_parent", "label_parent"]):
        root = os.path.join(out, "x%03d" % k)
        extra = random.Random(seed + 1000 + k)
        revs, labels = make_project(extra, root, extra.choice([3, 8, 20]), broken)
        cfg = Config(os.path.join(root, "alembic.ini"))
        all_cases.append({"project": root, "broken": broken, "cases": queries_for(extra, cfg, revs, labels)})
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(all_cases, f, indent=1)
    print("%d projects, %d cases" % (len(all_cases), sum(len(p["cases"]) for p in all_cases)))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Real projects' migration folders asked of Alembic and of Retort: every read answer must be
the same.

Usage: real_projects.py RETORT PROJECTS [NAME ...] [--python PYTHON] [--no-stubs] [--quick]

Each sub-folder of PROJECTS that holds an alembic.ini is a project (its versions folders as
the real project has them, an env.py that only connects, a SQLite URL); NAME limits the run
to those sub-folders. A `sections` file in a project names further ini sections (one a line)
whose questions are asked too, with `-n SECTION`. The project files are not part of this repository: build them from the
public repositories' migration folders.

Alembic is asked in one worker process per project (`--worker`, the same argparse and
commands as `python -m alembic`, so stdout and exit status are what the command line gives).
Revision files import their project's own modules (`from neutron.db import migration`); the
worker supplies permissive stand-ins for modules it cannot import and for names a real
module lacks, so the files load without being edited (--no-stubs turns that off). The
stand-ins are used only by imports made from files under the project folder.

Questions: heads, branches, history (also -v, ranges: base:heads, partial ids, relative
steps, label@head), show for every revision, for partial ids and for heads/base/head/labels,
and current / current -v / history -i / show current after stamping the project's SQLite file
(with Alembic) at a base, a middle revision, every head and pairs of heads.
Prints each difference; exits 1 when any answer differs, 0 otherwise.
"""
import io, json, os, random, re, subprocess, sys


# ---------------------------------------------------------------- the Alembic worker
class Stub:
    """Stands for anything a revision file reaches for in a module that is not installed."""
    def __init__(self, name="stub"):
        object.__setattr__(self, "_n", name)
    def __getattr__(self, k):
        if k.startswith("__") and k.endswith("__"):
            raise AttributeError(k)
        return Stub(self._n + "." + k)
    def __call__(self, *a, **k):
        if len(a) == 1 and callable(a[0]) and not k and not isinstance(a[0], Stub):
            return a[0]            # used as a decorator
        if self._n.endswith(".get") and len(a) >= 2:
            return a[1]            # config.get(key, default): the default
        return Stub(self._n + "()")
    def __getitem__(self, k): return Stub(self._n + "[]")
    def __iter__(self): return iter(())
    def __len__(self): return 0
    def __bool__(self): return False
    def __mro_entries__(self, bases): return ()
    def __str__(self): return self._n
    def __repr__(self): return "<stub %s>" % self._n
    def __hash__(self): return hash(self._n)
    def __eq__(self, o): return isinstance(o, Stub) and o._n == self._n
    def __setattr__(self, k, v): pass
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def __int__(self): return 0
    def __index__(self): return 0
    def __fspath__(self): return os.devnull
for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "or", "and", "lshift"):
    setattr(Stub, "__%s__" % _op, lambda self, o, _op=_op: Stub(self._n))
    setattr(Stub, "__r%s__" % _op, lambda self, o, _op=_op: Stub(self._n))


def install_stubs(project):
    import builtins, importlib.abc, importlib.machinery, importlib.util, types
    stubbed = set()
    state = {"project": False}

    class StubModule(types.ModuleType):
        def __getattr__(self, k):
            if k.startswith("__") and k.endswith("__"):
                raise AttributeError(k)
            return Stub(self.__name__ + "." + k)

    class Loader(importlib.abc.Loader):
        def create_module(self, spec):
            m = StubModule(spec.name)
            m.__path__ = []
            m.__all__ = []
            return m
        def exec_module(self, module):
            pass

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            parent = sys.modules.get(name.rpartition(".")[0])
            if not (state["project"] or isinstance(parent, StubModule)):
                return None
            stubbed.add(name.split(".")[0])
            return importlib.machinery.ModuleSpec(name, Loader(), is_package=True)
    sys.meta_path.append(Finder())

    real_import = builtins.__import__
    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        importer = (globals or {}).get("__file__") or ""
        saved = state["project"]
        state["project"] = importer.startswith(project)
        try:
            m = real_import(name, globals, locals, fromlist, level)
            if state["project"] and fromlist and not isinstance(m, StubModule):
                for n in fromlist:
                    if n != "*" and not hasattr(m, n):
                        try:
                            real_import(m.__name__ + "." + n, globals, locals, (), 0)
                        except ImportError:
                            pass
                        if not hasattr(m, n):
                            setattr(m, n, Stub(m.__name__ + "." + n))
                            stubbed.add(m.__name__ + "." + n)
            return m
        finally:
            state["project"] = saved
    builtins.__import__ = guarded_import

    # A name the file never defines (a star import from a stand-in, gettext's `_` that the
    # project installs in builtins) is a stand-in too: the revision modules get builtins
    # that answer every name.
    class Builtins(dict):
        def __missing__(self, k):
            stubbed.add("builtins." + k)
            return Stub(k)
    # The project's other modules may use gettext's `_` too (neutron's i18n installs it).
    if not hasattr(builtins, "_"):
        builtins._ = Stub("_")
    from alembic.util import pyfiles
    def load_module_py(module_id, path):
        spec = importlib.util.spec_from_file_location(module_id, path)
        module = importlib.util.module_from_spec(spec)
        module.__dict__["__builtins__"] = Builtins(builtins.__dict__)
        spec.loader.exec_module(module)
        return module
    pyfiles.load_module_py = load_module_py
    for dialect in ("mysql", "postgresql", "sqlite", "mssql", "oracle"):
        importlib.import_module("sqlalchemy.dialects." + dialect)
    return stubbed


def worker(stubs):
    """Answers JSON requests on stdin, one a line, as `python -m alembic` would."""
    sys.dont_write_bytecode = True      # the project's folders stay as they are
    project = os.getcwd() + os.sep
    stubbed = install_stubs(project) if stubs else set()
    from alembic.config import CommandLine, Config
    from alembic.script import ScriptDirectory
    channel = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        if "revisions" in req:
            try:
                sd = ScriptDirectory.from_config(Config("alembic.ini", ini_section=req.get("section", "alembic")))
                revs = [{"id": s.revision, "down": list(s._all_down_revisions), "labels": sorted(s.branch_labels),
                         "head": s.is_head, "base": s.is_base, "branch_point": s.is_branch_point,
                         "deps": list(s._resolved_dependencies or ()) if hasattr(s, "_resolved_dependencies") else []}
                        for s in sd.walk_revisions()]
                res = {"revisions": revs, "heads": list(sd.get_heads()), "bases": list(sd.get_bases())}
            except BaseException as e:
                res = {"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")}
            res["stubbed"] = sorted(stubbed)
            channel.write(json.dumps(res, default=str) + "\n"); channel.flush()
            continue
        argv = req["argv"]
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", write_through=True)
        err = io.StringIO()
        rc = 0
        sys.stdout, sys.stderr = out, err
        try:
            cl = CommandLine(prog="alembic")
            options = cl.parser.parse_args(argv)
            if not hasattr(options, "cmd"):
                cl.parser.error("too few arguments")
            cfg = Config(file_=options.config, ini_section=options.name, cmd_opts=options, stdout=out)
            cl.run_cmd(cfg, options)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            rc &= 0xFF
        except BaseException as e:
            rc = 1
            err.write("%s: %s\n" % (type(e).__name__, str(e)))
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        out.flush()
        channel.write(json.dumps({"rc": rc, "out": raw.getvalue().decode("utf-8"), "err": err.getvalue()}) + "\n")
        channel.flush()


# ---------------------------------------------------------------- the comparison
def questions(info, rng, quick):
    revs = info["revisions"]
    ids = [r["id"] for r in revs]
    heads = info["heads"]
    labels = sorted({l for r in revs for l in r["labels"]})
    q = [["heads"], ["heads", "-v"], ["heads", "--resolve-dependencies"], ["branches"], ["branches", "-v"],
         ["history"], ["history", "-v"], ["history", "-r", "base:heads"], ["history", "-r", "base:head"],
         ["history", "-r", ":heads"], ["history", "-r", "-3:"], ["history", "-r", "base:+2"],
         ["show", "head"], ["show", "heads"], ["show", "base"], ["show", "-1"], ["show", "head-1"],
         ["history", "-r", "head-2:head"], ["history", "-r", "heads-1:heads"]]
    shown = ids if not quick else rng.sample(ids, min(len(ids), 25))
    q += [["show", i] for i in shown]
    for i in rng.sample(ids, min(len(ids), 6 if quick else 15)):
        q += [["history", "-r", i + ":"], ["history", "-r", ":" + i], ["history", "-r", "base:" + i],
              ["history", "-r", "%s-1:%s+1" % (i, i)], ["show", i[:4]], ["show", i[:8]], ["show", i + "+1"],
              ["show", i + "-1"], ["history", "-v", "-r", i[:5] + ":heads"]]
    for a, b in zip(ids[::7], ids[3::7]):
        q += [["history", "-r", "%s:%s" % (b, a)], ["history", "-r", "%s:%s" % (a, b)]]
    for l in labels:
        q += [["show", l], ["show", l + "@head"], ["show", l + "@base"], ["history", "-r", "%s@base:%s@head" % (l, l)],
              ["history", "-r", l + "@head:"], ["history", "-r", "%s@-1:%s@head" % (l, l)], ["show", l + "@-1"]]
    for h in heads:
        q += [["history", "-r", "base:" + h], ["show", h + "@head"]]
    return q


def stamps(info, rng):
    revs = info["revisions"]
    ids = [r["id"] for r in revs]
    heads = info["heads"]
    out = [["base"] if not info["bases"] else info["bases"][:1], ["heads"]]
    if ids:
        out.append([ids[len(ids) // 2]])
        out.append([rng.choice(ids)])
    if len(heads) > 1:
        out.append(heads[:2])
        out.append(heads[-2:])
        bp = [r for r in revs if r["branch_point"]]
        if bp:
            out.append([bp[0]["id"]])
    return out


STATE_Q = [["current"], ["current", "-v"], ["history", "-i"], ["history", "-r", "current:"],
           ["show", "current"], ["history", "-r", "current-1:current"], ["history", "-r", "-1:current"]]


def set_ordered(argv, out):
    """`current` prints script.get_all_current(), a set of Script objects: the order of its
    entries (lines, or -v's "Rev: " blocks) follows their ids in memory."""
    if argv[:1] != ["current"]:
        return out
    lines = out.split("\n")
    if "-v" not in argv:
        return "\n".join(sorted(lines))
    head, blocks = [], []
    for line in lines:
        if line.startswith("Rev: "):
            blocks.append([])
        (blocks[-1] if blocks else head).append(line)
    # where a block ends (the last one takes the output's final newline) is set-ordered too
    return "\n".join(head + sorted("\n".join(b).rstrip("\n") for b in blocks))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--worker" in sys.argv:
        worker("--no-stubs" not in sys.argv)
        return 0
    python = "/usr/bin/python3"
    if "--python" in sys.argv:
        python = sys.argv[sys.argv.index("--python") + 1]
        args.remove(python)
    retort, root, only = os.path.abspath(args[0]), os.path.abspath(args[1]), set(args[2:])
    quick = "--quick" in sys.argv
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from alembic_oracle import normalise
    total_q = total_bad = 0
    for name in sorted(os.listdir(root)):
        p = os.path.join(root, name)
        if (only and name not in only) or not os.path.exists(os.path.join(p, "alembic.ini")):
            continue
        w = subprocess.Popen([python, os.path.abspath(__file__), "--worker"] + (["--no-stubs"] if "--no-stubs" in sys.argv else []),
                             cwd=p, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        def ask_alembic(req):
            w.stdin.write(json.dumps(req) + "\n"); w.stdin.flush()
            return json.loads(w.stdout.readline())
        def ask_retort(argv):
            r = subprocess.run([retort] + argv, cwd=p, capture_output=True, text=True, timeout=120)
            return {"rc": r.returncode, "out": r.stdout, "err": r.stderr}
        db = os.path.join(p, "db.sqlite")
        sections = ["alembic"]
        if os.path.exists(os.path.join(p, "sections")):
            with open(os.path.join(p, "sections")) as f:
                sections += [l.strip() for l in f if l.strip()]
        for section in sections:
            asked, bad, info = ask_project(name if section == "alembic" else "%s [-n %s]" % (name, section), p, db, section,
                                           ask_alembic, ask_retort, quick, normalise)
            total_q += asked; total_bad += bad
        w.stdin.close(); w.wait()
    print("%d questions, %d differences" % (total_q, total_bad))
    return 1 if total_bad else 0


def ask_project(name, p, db, section, ask_alembic, ask_retort, quick, normalise):
    """Every question about one section of one project; (asked, differences, info)."""
    pre = [] if section == "alembic" else ["-n", section]
    if os.path.exists(db):
        os.remove(db)
    info = ask_alembic({"revisions": True, "section": section})
    rng = random.Random(name)
    if "error" in info:
        qs, st = [["heads"], ["history"], ["branches"], ["show", "head"]], []
    else:
        qs, st = questions(info, rng, quick), stamps(info, rng)
    bad = asked = 0
    def compare(argv, state=""):
        nonlocal bad, asked
        asked += 1
        a, b = ask_alembic({"argv": pre + argv}), ask_retort(pre + argv)
        if a["rc"] != b["rc"] or set_ordered(argv, normalise(a["out"])) != set_ordered(argv, normalise(b["out"])):
            bad += 1
            first = lambda t: (t.strip().splitlines() or [""])[-1][:300]
            print("=== %s%s: %s\n--- alembic rc=%d err=%s OUT:\n%s--- retort rc=%d err=%s OUT:\n%s" % (
                name, state, " ".join(argv), a["rc"], first(a["err"]), a["out"][-1500:],
                b["rc"], first(b["err"]), b["out"][-1500:]))
    for argv in qs:
        compare(argv)
    for s in st:
        if os.path.exists(db):
            os.remove(db)
        r = ask_alembic({"argv": pre + ["stamp"] + s})
        if r["rc"] != 0:
            print("=== %s: stamp %s failed: %s%s" % (name, " ".join(s), r["out"][-300:], r["err"][-300:]))
            continue
        for argv in STATE_Q:
            compare(argv, " [db at %s]" % " ".join(s))
    if os.path.exists(db):
        os.remove(db)
    print("--- %s: %s revisions, %d questions, %d differences%s%s" % (
        name, len(info.get("revisions", [])), asked, bad,
        ("; Alembic refuses it: " + info["error"]) if "error" in info else "",
        ("; stubbed: " + ", ".join(info["stubbed"][:12]) + (" ..." if len(info["stubbed"]) > 12 else "")) if info.get("stubbed") else ""),
        flush=True)
    return asked, bad, info


if __name__ == "__main__":
    sys.exit(main())

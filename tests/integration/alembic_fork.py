"""`python -m alembic ARGS` asked in processes forked from one that has imported Alembic.

The child chdirs, takes the output files as its stdout / stderr, runs the alembic module as
__main__ (what -m does) and ends as the interpreter would: SystemExit's code, or the traceback
and 1 for an exception nothing caught. It saves each question the interpreter's start and
Alembic's import. A question may instead be a plan: ScriptDirectory._upgrade_revs /
_downgrade_revs from a given current state, each step printed as str(step), a CommandError as
"FAILED: ..." and 255 (what `retort plan` answers). Used by cli_shapes.py and hunt.py.
"""
import json, os, subprocess

SERVER = r"""
import json, os, runpy, sys, traceback
import alembic.config, alembic.command, alembic.script, sqlalchemy
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
def plan(q):
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    script = ScriptDirectory.from_config(Config(q["ini"]))
    try:
        steps = script._upgrade_revs(q["target"], tuple(q["current"])) if q["up"] else \
            script._downgrade_revs(q["target"], tuple(q["current"]))
        for s in steps:
            print(str(s))
        return 0
    except CommandError as e:
        print("FAILED: %s" % e)
        return 255
for line in sys.stdin:
    q = json.loads(line)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.chdir(q["cwd"])
            for fd, path in ((1, q["out"]), (2, q["err"])):
                f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(f, fd)
                os.close(f)
            if "plan" in q:
                code = plan(q["plan"])
            else:
                sys.argv = ["alembic"] + q["argv"]
                runpy.run_module("alembic", run_name="__main__", alter_sys=True)
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code
            else:
                print(e.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code & 0xFF)
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


class AlembicServer:
    """One forking server; `scratch` holds the two files each answer is written to."""

    def __init__(self, python, scratch):
        self.scratch = scratch
        self.server = subprocess.Popen([python, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, cwd, argv=None, plan=None):
        """(exit status, stdout, stderr) of `alembic ARGV` in cwd, or of the plan
        {"ini", "up", "target", "current"}."""
        out, err = os.path.join(self.scratch, "alembic.out"), os.path.join(self.scratch, "alembic.err")
        q = {"cwd": os.path.abspath(cwd), "out": out, "err": err}
        if plan is not None:
            q["plan"] = plan
        else:
            q["argv"] = argv
        self.server.stdin.write(json.dumps(q) + "\n")
        self.server.stdin.flush()
        code = int(self.server.stdout.readline())
        with open(out, encoding="utf-8", errors="replace") as o, open(err, encoding="utf-8", errors="replace") as e:
            return code, o.read(), e.read()

#!/usr/bin/env python3
"""`retort check --against main` against what CI scripts do by hand: a scratch worktree of
main, `git merge` of the branch into it, then `alembic heads` on the merged folder.

usage: bench_gitcheck.py RETORT [REVISIONS...]   (prints figures; asserts nothing)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

BODY = "\n".join("    op.add_column('t%d', sa.Column('c%d', sa.Integer()))" % (i, i) for i in range(30))
ENV = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b",
           GIT_COMMITTER_EMAIL="b@b", GIT_CONFIG_NOSYSTEM="1")
ENV_PY = ("from alembic import context\n"
          "context.configure(url='sqlite://', target_metadata=None)\n"
          "with context.begin_transaction():\n    context.run_migrations()\n")


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL)


def revision(rid, down, n):
    return ('"""step %d\n\nRevision ID: %s\nRevises: %s\nCreate Date: x\n\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n"
            "revision = %r\ndown_revision = %r\nbranch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade():\n%s\n\n\ndef downgrade():\n    pass\n" % (n, rid, down or "", rid, down, BODY))


def build(root, count):
    versions = os.path.join(root, "alembic", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\n")
    with open(os.path.join(root, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(root, "alembic", "script.py.mako"), "w") as f:
        f.write("")
    git(root, "init", "-q", "-b", "main")
    prev = None
    for i in range(count):
        rid = "%012x" % (0xabc000000000 + i)
        with open(os.path.join(versions, "%s_step_%d.py" % (rid, i)), "w") as f:
            f.write(revision(rid, prev, i))
        prev = rid
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-q", "-b", "feature")
    with open(os.path.join(versions, "fff000000001_yours.py"), "w") as f:
        f.write(revision("fff000000001", prev, count))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "yours")
    git(root, "checkout", "-q", "main")
    with open(os.path.join(versions, "eee000000001_mains.py"), "w") as f:
        f.write(revision("eee000000001", prev, count))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mains")
    git(root, "checkout", "-q", "feature")
    git(root, "gc", "-q")


def best(fn, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def by_hand(root):
    scratch = tempfile.mkdtemp()
    wt = os.path.join(scratch, "wt")
    try:
        git(root, "worktree", "add", "-q", "--detach", wt, "main")
        git(wt, "merge", "-q", "--no-edit", "feature")
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        out = subprocess.run([python, "-m", "alembic", "heads"], cwd=wt, capture_output=True, text=True)
        assert len(out.stdout.split("\n")) - 1 == 2, out.stdout + out.stderr
    finally:
        git(root, "worktree", "remove", "--force", wt)
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    retort = sys.argv[1]
    counts = [int(a) for a in sys.argv[2:]] or [500, 5000]
    print("%-10s %22s %22s %30s" % ("revisions", "retort check --against", "retort heads (disk)", "worktree+git merge+alembic heads"))
    for count in counts:
        root = tempfile.mkdtemp()
        try:
            build(root, count)
            check = best(lambda: subprocess.run([retort, "check", "--against", "main"], cwd=root, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL))
            rc = subprocess.run([retort, "check", "--against", "main"], cwd=root, stdout=subprocess.DEVNULL).returncode
            assert rc == 1, rc
            heads = best(lambda: subprocess.run([retort, "heads"], cwd=root, stdout=subprocess.DEVNULL))
            hand = best(lambda: by_hand(root), runs=1)
            print("%-10d %20.3f s %20.3f s %28.3f s" % (count, check, heads, hand))
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

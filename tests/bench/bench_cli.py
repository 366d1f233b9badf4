#!/usr/bin/python3
"""Cold-process timings of `retort heads` / `history` against `alembic heads` / `history`
and against the floor of simply reading the files, on generated 1,000- and
10,000-revision projects (realistic ~1 kB files with branches and merges).

Usage: bench_cli.py RETORT READFLOOR [--sizes 1000,10000] [--runs 5]
Prints a table; nothing is asserted.
"""
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {revises}
Create Date: 2026-03-{day:02d} 12:{minute:02d}:31.401922

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "{rev}"
down_revision: Union[str, Sequence[str], None] = {down}
branch_labels: Union[str, Sequence[str], None] = {labels}
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "table_{n}",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_table_{n}_name"), "table_{n}", ["name"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_table_{n}_name"), table_name="table_{n}")
    op.drop_table("table_{n}")
'''


def generate(root, n, rng):
    versions = os.path.join(root, "alembic", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite://\n")
    ids = []
    open_branch = None
    main_head = None
    for i in range(n):
        rev = "%012x" % rng.getrandbits(48)
        if not ids:
            down = None
        elif open_branch is None and i % 50 == 10:
            open_branch = rev  # a branch off the main line, merged a few revisions later
            down = main_head
        elif open_branch is not None and i % 50 == 15:
            down = (main_head, open_branch)
            open_branch = None
        elif open_branch is not None and rng.random() < 0.5:
            down = open_branch
            open_branch = rev
        else:
            down = main_head
        if open_branch != rev or down is not main_head:
            main_head = rev if (open_branch != rev) else main_head
        down_text = "None" if down is None else repr(down)
        revises = "" if down is None else (down if isinstance(down, str) else ", ".join(down))
        labels = repr("feature_%d" % i) if i % 997 == 5 else "None"
        with open(os.path.join(versions, "%s_change_%d.py" % (rev, i)), "w") as f:
            f.write(TEMPLATE.format(message="change number %d" % i, rev=rev, revises=revises, day=1 + i % 28,
                                    minute=i % 60, down=down_text, labels=labels, n=i))
        ids.append(rev)
    return versions


def timed(cmd, cwd, runs, env=None, empty_dir=None):
    """Best wall time of `runs` runs; `empty_dir` is emptied before each (not timed)."""
    best = None
    rss = 0
    for _ in range(runs):
        if empty_dir:
            shutil.rmtree(empty_dir, ignore_errors=True)
            os.makedirs(empty_dir)
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=None if env is None else dict(os.environ, **env))
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("failed: %s" % " ".join(cmd))
        best = elapsed if best is None else min(best, elapsed)
        rss = max(rss, usage.ru_maxrss)
    return best, rss


def main():
    retort, floor = sys.argv[1], sys.argv[2]
    sizes = [1000, 10000]
    runs = 5
    args = sys.argv[3:]
    if "--sizes" in args:
        sizes = [int(x) for x in args[args.index("--sizes") + 1].split(",")]
    if "--runs" in args:
        runs = int(args[args.index("--runs") + 1])
    rng = random.Random(7)
    alembic = ["/usr/bin/python3", "-m", "alembic"]
    cores = len(os.sched_getaffinity(0))
    print("The read floor opens and reads every file on ONE thread; retort reads and parses on up to")
    print("%d threads (this machine's cores, at most 8). The '1 thread' rows (RETORT_THREADS=1) do the" % min(cores, 8))
    print("same work on one thread, the like-for-like comparison with the floor.")
    print("Parse cache: 'warm' rows stat() every file and, where its stamp (inode, size, mtime, ctime)")
    print("is the one a previous run recorded with its content's key, take the parsed facts from the")
    print("cache without opening it; 'cold' rows (RETORT_NO_CACHE=1) read and parse every file. The")
    print("cache lives in a temporary RETORT_CACHE_DIR here; the files get stamps only once settled")
    print("(2 s after their last change), which the warm-up run waits for. The 'first run' row starts")
    print("each run with an empty cache folder: it reads and parses every file and writes the cache.")
    print("Retort opens each file relative to its open folder (openat); the second floor row does too.")
    print("%-8s %-38s %10s %10s %12s" % ("revs", "command", "best (ms)", "peak RSS", "vs floor"))
    for n in sizes:
        root = tempfile.mkdtemp(prefix="retort-bench-")
        try:
            versions = generate(root, n, rng)
            cache = {"RETORT_CACHE_DIR": os.path.join(root, "cache")}
            # Warms the page cache, and writes the parse cache the warm rows read (with the
            # files' stamps: they are settled two seconds after they were written).
            time.sleep(2.1)
            subprocess.run([retort, "heads"], cwd=root, check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ, **cache))
            floor_t, floor_rss = timed([floor, versions], root, runs)
            floor_at_t, _ = timed([floor, "--at", versions], root, runs)
            grep_t, _ = timed(["sh", "-c", "grep -h '^down_revision' alembic/versions/*.py"], root, runs)
            rows = [("read floor (C, open+read all)", floor_t, floor_rss),
                    ("read floor, openat (one name each)", floor_at_t, 0), ("grep ^down_revision", grep_t, 0)]
            results = {}
            cold = dict(cache, RETORT_NO_CACHE="1")
            one = {"RETORT_THREADS": "1"}
            retort_rows = []
            first = {"RETORT_CACHE_DIR": os.path.join(root, "first-run-cache")}
            for what in ("heads", "history"):
                retort_rows += [("retort %s (cold: no cache)" % what, [retort, what], cold),
                                ("retort %s (cold, 1 thread)" % what, [retort, what], dict(cold, **one)),
                                ("retort %s (warm cache)" % what, [retort, what], cache),
                                ("retort %s (warm, 1 thread)" % what, [retort, what], dict(cache, **one))]
            retort_rows.insert(2, ("retort heads (first run, empty cache)", [retort, "heads"], first))
            for name, cmd, env in retort_rows + [("alembic heads", alembic + ["heads"], None),
                                                 ("alembic history", alembic + ["history"], None)]:
                t, r = timed(cmd, root, runs if "retort" in name else max(1, min(runs, 3)), env,
                             empty_dir=env["RETORT_CACHE_DIR"] if env is first else None)
                results[name] = t
                rows.append((name, t, r))
            for name, t, r in rows:
                print("%-8d %-38s %10.1f %9.1fM %11.2fx" % (n, name, t * 1000, r / 1024.0, t / floor_t))
            for what in ("heads", "history"):
                print("%-8d retort %-7s is %.1fx (cold) / %.1fx (warm) faster than alembic %s" % (
                    n, what, results["alembic " + what] / results["retort %s (cold: no cache)" % what],
                    results["alembic " + what] / results["retort %s (warm cache)" % what], what))
        finally:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The stairway on a generated SQLite project, side by side in one run:

  in-process loop   the published stairway-test pattern: one Python process, Alembic's
                    command API, upgrade / downgrade / upgrade per revision, no schema check
  retort stairway   the same round trips through Retort's long-lived Alembic driver, with a
                    schema snapshot after every step and a diff per revision
  cli per step      (--cli-loop) one `python -m alembic` process per step, which is what
                    `retort stairway` did before the driver

Usage: bench_stairway.py RETORT [--revisions 60] [--runs 1] [--python /usr/bin/python3] [--cli-loop]
Prints a table; nothing is asserted.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

REVISION = '''"""step {n}

Revision ID: {rev}
Revises: {down_doc}
"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''

ENV = '''from logging.config import fileConfig
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

INI = '''[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///%(here)s/app.db

[loggers]
keys = root,alembic
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
qualname =
[logger_alembic]
level = INFO
handlers =
qualname = alembic
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
'''

LOOP = '''
import sys, time
from alembic.config import Config
from alembic import command
from alembic.script import ScriptDirectory
t0 = time.time()
cfg = Config(sys.argv[1])
cfg.set_main_option("sqlalchemy.url", sys.argv[2])
script = ScriptDirectory.from_config(cfg)
revisions = list(script.walk_revisions("base", "heads"))
revisions.reverse()
for r in revisions:
    command.upgrade(cfg, r.revision)
    command.downgrade(cfg, r.down_revision or "-1")
    command.upgrade(cfg, r.revision)
print(len(revisions))
'''


def generate(root, n):
    versions = os.path.join(root, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write(INI)
    with open(os.path.join(root, "migrations", "env.py"), "w") as f:
        f.write(ENV)
    down = None
    for i in range(n):
        rev = "%012x" % (0xB000000000 + i)
        table = "t%d" % (i // 3)
        kind = i % 3
        if kind == 0:  # a table with an index
            up = ('    op.create_table("{t}", sa.Column("id", sa.Integer(), primary_key=True),\n'
                  '                    sa.Column("name", sa.String(80), nullable=False))\n'
                  '    op.create_index("ix_{t}_name", "{t}", ["name"])').format(t=table)
            dn = '    op.drop_index("ix_{t}_name", table_name="{t}")\n    op.drop_table("{t}")'.format(t=table)
        elif kind == 1:  # a column
            up = '    op.add_column("{t}", sa.Column("note", sa.Text()))'.format(t=table)
            dn = '    with op.batch_alter_table("{t}") as b:\n        b.drop_column("note")'.format(t=table)
        else:  # a foreign key to the previous table, through batch mode
            prev = "t%d" % max(0, i // 3 - 1)
            up = ('    with op.batch_alter_table("{t}") as b:\n'
                  '        b.add_column(sa.Column("ref_id", sa.Integer()))\n'
                  '        b.create_foreign_key("fk_{t}_ref", "{p}", ["ref_id"], ["id"])').format(t=table, p=prev)
            dn = ('    with op.batch_alter_table("{t}") as b:\n'
                  '        b.drop_constraint("fk_{t}_ref", type_="foreignkey")\n'
                  '        b.drop_column("ref_id")').format(t=table)
        with open(os.path.join(versions, "%s_step_%d.py" % (rev, i)), "w") as f:
            f.write(REVISION.format(n=i, rev=rev, down=repr(down), down_doc=down or "", upgrade=up, downgrade=dn))
        down = rev


def timed(cmd, cwd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - t0, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("retort")
    ap.add_argument("--revisions", type=int, default=60)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--cli-loop", action="store_true")
    args = ap.parse_args()
    args.retort = os.path.abspath(args.retort)
    root = tempfile.mkdtemp(prefix="retort-bench-stairway-")
    try:
        generate(root, args.revisions)
        ini = os.path.join(root, "alembic.ini")
        rows = []
        for run in range(args.runs):
            scratch = os.path.join(root, "loop.db")
            if os.path.exists(scratch):
                os.remove(scratch)
            t, p = timed([args.python, "-c", LOOP, ini, "sqlite:///" + scratch], root)
            if p.returncode != 0:
                sys.exit("in-process loop failed:\n" + p.stderr[-2000:])
            rows.append(("in-process Alembic loop (no schema check)", t))
            t, p = timed([args.retort, "stairway", "--alembic", args.python], root)
            if p.returncode != 0:
                sys.exit("retort stairway failed:\n" + p.stdout[-2000:] + p.stderr[-2000:])
            rows.append(("retort stairway (driver, snapshot + diff per step)", t))
            if args.cli_loop:
                t0 = time.perf_counter()
                revs = sorted(os.listdir(os.path.join(root, "migrations", "versions")))
                prev = None
                for name in revs:
                    if not name.endswith(".py"):
                        continue
                    rev = name.split("_")[0]
                    for step in (["upgrade", rev], ["downgrade", prev or "base"], ["upgrade", rev]):
                        subprocess.run([args.python, "-m", "alembic", "-c", ini] + step, cwd=root,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                    prev = rev
                rows.append(("one alembic process per step (3 per revision)", time.perf_counter() - t0))
        print("stairway, %d revisions on SQLite (%d run%s)" % (args.revisions, args.runs, "s" if args.runs > 1 else ""))
        for name, t in rows:
            print("  %-52s %8.2f s" % (name, t))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

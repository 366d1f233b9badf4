#!/usr/bin/python3
"""`retort describe` against psql on PostgreSQL's own regression schemas (by hand, not in ctest).

Usage: pg_regress.py RETORT REGRESS_DIR WORKDIR [--versions 17,15] [--mode all|each|both]
                     [--only FILE,...] [--libdir-root DIR] [--psql PSQL] [--before RETORT0] [--keep]

REGRESS_DIR is src/test/regress of a PostgreSQL source tree (sql/, data/, parallel_schedule),
e.g. from `apt-get source postgresql-15`. For every server version, a throwaway cluster
(initdb into WORKDIR/pgN, loopback, a free port, SCRAM passwords) is loaded and described:

* mode `all`: the files of parallel_schedule run in order into one database `regression`
  (psql -f, ON_ERROR_STOP off: what fails is skipped, what remains is kept), as a regression
  run leaves it;
* mode `each`: every file on its own, in a copy of a database holding test_setup, with an event
  trigger that refuses every DROP, so that what a file makes and later drops is still there.

Then every relation (tables, partitioned tables, views, materialized views, sequences, indexes,
partitioned indexes, foreign tables, composite types; in mode `all` also pg_catalog's,
information_schema's and their TOAST tables) is asked `\\d NAME` and `\\d+ NAME` of psql
and of `retort describe --url URL --command ...`, with the list commands (\\d, \\dt, \\di, \\dv,
\\dm, \\ds, \\dn, \\dD, \\dx, each with `+`, some with S, per schema and with name patterns). Compared character for
character: stdout, the exit status, and psql's error line against Retort's stderr. A Retort
that crashes or does not answer in 60 s is reported as such.

psql is the newest installed (as tst_describe uses it) unless --psql names another. Regress's
C library is looked for in --libdir-root/libN (regress.so built against the server's headers,
next to links to /usr/lib/postgresql/N/lib/*.so); without it the tests that need it fail in part.

--before RETORT0 asks a second (older) Retort the same questions and counts its differences too.
Prints each difference (first differing line) and writes every one in full to
WORKDIR/diffs-pgN-MODE.txt; the last lines count relations, commands and differences.
"""
import concurrent.futures, difflib, os, re, shutil, signal, socket, subprocess, sys, time

RETORT = os.path.abspath(sys.argv[1])
REGRESS = os.path.abspath(sys.argv[2])
WORK = os.path.abspath(sys.argv[3])


def opt(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


VERSIONS = [int(v) for v in opt("--versions", "17,15").split(",")]
MODE = opt("--mode", "all")
ONLY = set(opt("--only").split(",")) if opt("--only") else None
LIBROOT = opt("--libdir-root")
KEEP = "--keep" in sys.argv
BEFORE = os.path.abspath(opt("--before")) if opt("--before") else None
USER, PASSWORD = "retort", "s3cret-pw"
AS_ROOT = os.geteuid() == 0


def newest_psql():
    found = sorted((int(v) for v in os.listdir("/usr/lib/postgresql") if v.isdigit()
                    and os.path.exists(f"/usr/lib/postgresql/{v}/bin/psql")), reverse=True)
    return f"/usr/lib/postgresql/{found[0]}/bin/psql" if found else "psql"


PSQL = opt("--psql", newest_psql())


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def as_server_user(args, **kw):
    if AS_ROOT:
        args = ["runuser", "-u", "postgres", "--"] + args
    return subprocess.run(args, capture_output=True, text=True, **kw)


class Server:
    def __init__(self, version):
        self.version = version
        self.bin = f"/usr/lib/postgresql/{version}/bin"
        self.dir = os.path.join(WORK, f"pg{version}")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.port = free_port()
        pw = os.path.join(self.dir, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD)
        if AS_ROOT:
            subprocess.run(["chown", "-R", "postgres:postgres", self.dir], check=True)
        data = os.path.join(self.dir, "data")
        r = as_server_user([self.bin + "/initdb", "-D", data, "-U", USER, "--pwfile=" + pw, "--auth-local=trust",
                            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        if r.returncode:
            sys.exit("initdb failed: " + r.stderr)
        # As pg_regress's temporary instance: prepared transactions and in-place tablespaces.
        r = as_server_user([self.bin + "/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"), "-w", "-o",
                            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                            "-c max_prepared_transactions=2 -c log_min_messages=fatal", "start"])
        if r.returncode:
            sys.exit("pg_ctl start failed: " + r.stderr + r.stdout)

    def stop(self):
        as_server_user([self.bin + "/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "immediate", "-w", "stop"])
        if not KEEP:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, db):
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{db}"

    def env(self, loading=False):
        env = dict(os.environ, PGPASSWORD=PASSWORD, PGCLIENTENCODING="UTF8")
        env.pop("PSQLRC", None)
        for k in ("PGTZ", "PGDATESTYLE", "PGOPTIONS"):
            env.pop(k, None)
        if loading:
            # What pg_regress sets for the sessions that run the tests.
            libdir = os.path.join(LIBROOT, f"lib{self.version}") if LIBROOT else f"/usr/lib/postgresql/{self.version}/lib"
            env.update(PGTZ="PST8PDT", PGDATESTYLE="Postgres, MDY", PG_ABS_SRCDIR=REGRESS,
                       PG_ABS_BUILDDIR=self.builddir, PG_LIBDIR=libdir, PG_DLSUFFIX=".so")
        return env

    @property
    def builddir(self):
        d = os.path.join(WORK, f"build{self.version}")
        os.makedirs(os.path.join(d, "results"), exist_ok=True)
        if AS_ROOT:
            subprocess.run(["chmod", "-R", "a+rwx", d])
        return d

    def psql(self, db, *args, loading=False, timeout=600):
        return subprocess.run([PSQL, "-X", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", db] + list(args),
                              capture_output=True, text=True, env=self.env(loading), timeout=timeout, cwd=self.builddir
                              if loading else WORK)

    def sql(self, db, text):
        r = self.psql(db, "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", text)
        if r.returncode:
            raise RuntimeError(r.stderr)
        return r.stdout

    def create_db(self, name, template=None):
        self.sql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
        self.sql("postgres", f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        # The database settings pg_regress gives its database.
        for setting in ("lc_messages TO 'C'", "lc_monetary TO 'C'", "lc_numeric TO 'C'", "lc_time TO 'C'",
                        "bytea_output TO 'hex'", "timezone_abbreviations TO 'Default'"):
            self.sql("postgres", f'ALTER DATABASE "{name}" SET {setting}')

    def run_file(self, db, name):
        path = os.path.join(REGRESS, "sql", name + ".sql")
        try:
            r = self.psql(db, "-q", "-a", "-f", path, loading=True, timeout=900)
        except subprocess.TimeoutExpired:
            return "timed out"
        errors = r.stderr.count("ERROR:")
        return f"{errors} errors" if errors else "ok"


def drop_db(server, db):
    """Drops a database of mode `each`, the subscriptions the kept DROPs left in it first."""
    try:
        server.sql(db, "ALTER EVENT TRIGGER pgreg_keep DISABLE")
        for sub in server.sql(db, "SELECT subname FROM pg_catalog.pg_subscription s JOIN pg_catalog.pg_database d "
                                  "ON d.oid = s.subdbid WHERE d.datname = current_database()").split():
            server.sql(db, f"ALTER SUBSCRIPTION {quote(sub)} DISABLE")
            server.sql(db, f"ALTER SUBSCRIPTION {quote(sub)} SET (slot_name = NONE)")
            server.sql(db, f"DROP SUBSCRIPTION {quote(sub)}")
        server.sql("postgres", f'DROP DATABASE {quote(db)} WITH (FORCE)')
    except RuntimeError as e:
        print(f"pg{server.version} could not drop {db} (left in place): {str(e).strip()}", flush=True)


def schedule():
    names = []
    with open(os.path.join(REGRESS, "parallel_schedule")) as f:
        for line in f:
            if line.startswith("test:"):
                names += line.split()[1:]
    return names


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def relations(server, db, min_oid=0, system=False):
    """The relations to describe: the user's, or with `system` also pg_catalog's, information_schema's
    and the TOAST tables (with their indexes) of pg_catalog."""
    user = ("n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_toast'"
            if not system else "(n.nspname !~ '^pg_toast' OR c.relname ~ '^pg_toast_[0-9]+(_index)?$' AND c.oid < 16384)")
    out = server.sql(db, "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                         "ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','i','I','f','c','t') "
                         f"AND {user} AND c.oid > {min_oid} ORDER BY 1, 2")
    rels = []
    for line in out.splitlines():
        if line.count("|") >= 2:
            schema, rest = line.split("|", 1)
            name, kind = rest.rsplit("|", 1)
            rels.append((schema, name, kind))
    return rels


def list_commands(server, db, rels):
    schemas = sorted({s for s, _, _ in rels})
    cmds = []
    for letters in ("", "t", "i", "v", "m", "s", "n", "ti", "E", "D", "x"):
        cmds += [f"\\d{letters}", f"\\d{letters}+"]
    cmds += ["\\dS", "\\dtS+", "\\diS", "\\dvS", "\\dnS+", "\\dDS+"]
    for s in schemas:
        for letters in ("", "t", "i", "v", "m", "s"):
            cmds.append(f"\\d{letters}+ {quote(s)}.*")
        cmds.append(f"\\dn+ {quote(s)}")
        cmds.append(f"\\dD+ {quote(s)}.*")
    prefixes = sorted({n[:3] for _, n, _ in rels if re.fullmatch(r"[a-z_][a-z0-9_]*", n[:3])})
    for p in prefixes:
        cmds += [f"\\d {p}*", f"\\dt+ {p}*", f"\\di {p}*"]
    return cmds


def first_difference(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else "<end>"
        y = bl[i] if i < len(bl) else "<end>"
        if x != y:
            return f"line {i + 1}: psql {x!r} / retort {y!r}"
    return "trailing newline"


def ask_retort(binary, server, db, command, psql_answer):
    """None when Retort answers as psql did, else (why, psql's text, Retort's text)."""
    p = psql_answer
    try:
        r = subprocess.run(["nice", binary, "describe", "--url", server.url(db), "--command", command], capture_output=True,
                           text=True, timeout=60, cwd=WORK, env=server.env())
    except subprocess.TimeoutExpired:
        return ("retort hung (60 s)", p.stdout, "")
    if r.returncode < 0:
        return (f"retort crashed (signal {-r.returncode})", p.stdout, r.stdout + r.stderr)
    if p.stdout != r.stdout and p.returncode == 0:
        # Sizes (\dt+) move while autovacuum works: psql asked again after Retort decides.
        again = server.psql(db, "-c", command, timeout=120)
        if again.stdout == r.stdout:
            p = again
    perr = p.stderr.strip()
    rerr = r.stderr.strip()
    if p.stdout != r.stdout:
        return ("stdout: " + first_difference(p.stdout, r.stdout), p.stdout + perr, r.stdout + rerr)
    if p.returncode != r.returncode:
        return (f"exit status: psql {p.returncode} / retort {r.returncode} ({perr!r} / {rerr!r})", perr, rerr)
    if perr != rerr:
        return (f"stderr: psql {perr!r} / retort {rerr!r}", perr, rerr)
    return None


def compare(server, db, command):
    """[result for RETORT, result for --before] (the second only with --before)."""
    try:
        p = server.psql(db, "-c", command, timeout=120)
    except subprocess.TimeoutExpired:
        return [("psql timed out", "", "")] * (2 if BEFORE else 1)
    results = [ask_retort(RETORT, server, db, command, p)]
    if BEFORE:
        results.append(ask_retort(BEFORE, server, db, command, p))
    return results


def describe_all(server, db, rels, label, report):
    """(commands, differences, differences of --before)."""
    cmds = []
    for s, n, _ in rels:
        target = f"{quote(s)}.{quote(n)}"
        cmds += [f"\\d {target}", f"\\d+ {target}"]
    cmds += list_commands(server, db, rels)
    diffs = before = 0
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for cmd, res in zip(cmds, pool.map(lambda c: compare(server, db, c), cmds)):
            if len(res) > 1 and res[1] is not None:
                before += 1
                report.write(f"=== before: pg{server.version} {label} {cmd}: {res[1][0]}\n")
            if res[0] is None:
                continue
            diffs += 1
            why, expected, got = res[0]
            print(f"pg{server.version} {label} {cmd}: {why}", flush=True)
            report.write(f"=== pg{server.version} {label} {cmd}: {why}\n")
            report.writelines(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "psql", "retort"))
            report.write("\n")
    return len(cmds), diffs, before


def run_version(version):
    server = Server(version)
    totals = {}
    try:
        files = [f for f in schedule() if ONLY is None or f in ONLY or f == "test_setup"]
        if MODE in ("all", "both"):
            with open(os.path.join(WORK, f"diffs-pg{version}-all.txt"), "w") as report:
                server.create_db("regression")
                t0 = time.time()
                for name in files:
                    print(f"pg{version} load {name}: {server.run_file('regression', name)}", flush=True)
                print(f"pg{version} loaded {len(files)} files in {time.time() - t0:.0f} s", flush=True)
                rels = relations(server, "regression", system=True)
                n, d, b = describe_all(server, "regression", rels, "all", report)
                totals["all"] = (len(rels), n, d, b)
        if MODE in ("each", "both"):
            with open(os.path.join(WORK, f"diffs-pg{version}-each.txt"), "w") as report:
                server.create_db("base")
                server.run_file("base", "test_setup")
                base_oid = int(server.sql("base", "SELECT max(oid::int8) FROM pg_catalog.pg_class").strip())
                rels_total = cmds_total = diffs_total = before_total = 0
                for number, name in enumerate(files):
                    if name == "test_setup":
                        continue
                    db = f"each{number}"
                    server.create_db(db, "base")
                    server.sql(db, "CREATE FUNCTION public.pgreg_keep() RETURNS event_trigger LANGUAGE plpgsql AS "
                                   "$$ BEGIN RAISE EXCEPTION 'pg_regress.py keeps every object'; END $$; "
                                   "CREATE EVENT TRIGGER pgreg_keep ON sql_drop EXECUTE FUNCTION public.pgreg_keep();")
                    status = server.run_file(db, name)
                    rels = relations(server, db, base_oid)
                    n, d, b = describe_all(server, db, rels, name, report) if rels else (0, 0, 0)
                    print(f"pg{version} each {name}: {status}, {len(rels)} relations, {n} commands, {d} differ", flush=True)
                    drop_db(server, db)
                    rels_total += len(rels)
                    cmds_total += n
                    diffs_total += d
                    before_total += b
                totals["each"] = (rels_total, cmds_total, diffs_total, before_total)
    finally:
        server.stop()
    return totals


def main():
    os.makedirs(WORK, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # the servers are stopped on the way out
    summary = []
    for v in VERSIONS:
        if not os.path.exists(f"/usr/lib/postgresql/{v}/bin/initdb"):
            print(f"PostgreSQL {v} is not installed; skipped")
            continue
        for mode, (rels, cmds, diffs, before) in run_version(v).items():
            summary.append(f"pg{v} {mode}: {rels} relations, {cmds} commands, {diffs} differ"
                           + (f" ({before} with --before)" if BEFORE else ""))
    print(f"psql: {PSQL}")
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()

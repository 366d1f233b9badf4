"""Retort's Alembic driver: one long-lived Python process that runs the project's own
Alembic through its command API, one request at a time, so a sequence of steps (the
stairway, a replay) pays Python's start-up, the imports and the revision-map load once.

Started by Retort with the project's interpreter: ``python retort_driver.py``.
Protocol: JSON lines. Requests on stdin, events on stdout; nothing else is ever written
to stdout (Python-level output and logging become "log" events, C-level writes to fd 1
go to stderr).

  -> {"id": 1, "op": "open", "config": "/p/alembic.ini", "section": "alembic",
      "cwd": "/p", "url": "sqlite:////tmp/x.db" | null, "x": ["k=v", ...],
      "guard": true}     # refuse to migrate any database but "url" (a scratch one)
  -> {"id": 2, "op": "upgrade" | "downgrade", "target": "head", "sql": false}
  -> {"id": 3, "op": "stamp", "target": ["a1", "b2"], "purge": false}
  -> {"id": 4, "op": "quit"}
  <- {"event": "ready", "alembic": "1.8.1", "python": "3.11.2"}
  <- {"event": "log", "id": 2, "text": "INFO  [alembic.runtime.migration] Running upgrade ..."}
  <- {"event": "sql", "id": 2, "sql": "CREATE TABLE ...", "committed": true | false | null}
  <- {"event": "step", "id": 2, "up": true, "from": ["a1"], "to": ["b2"]}
  <- {"event": "committed", "id": 2, "committed": true | false | null}
  <- {"event": "end", "id": 2, "ok": true}
  <- {"event": "end", "id": 2, "ok": false, "error": "...", "traceback": "...", "cancelled": false,
      "exit": false}     # true: the driver exits after this event

A "committed" event follows each step once its transaction block has ended: true when the
connection then has no transaction open (Alembic commits each step on a database without
transactional DDL, SQLite's and MySQL's, or with transaction_per_migration), false when the
step waits for the run's one transaction (PostgreSQL's default), null when unknown.

"sql" events name each statement a migration step runs (not the version table's), with
whether it was already committed when it returned: the DB-API connection's
in_transaction (pysqlite runs DDL outside a transaction until the step's first data
change opens one, so on SQLite a failed step keeps the DDL before that); null when the
DB-API does not say.

  -> {"op": "cancel", "id": 2}   # any time while request 2 is queued or running

Cancel: between steps the request stops before the next step begins (nothing of it has
run) and the driver stays up; within a step the step is interrupted (a SIGUSR1 to the
main thread; its transaction rolls back as on any error) and the driver exits after the
"end" event. A thread reads stdin, so a cancel arrives while a request runs.
"""
import json
import os
import queue
import signal
import sys
import threading
import traceback

_protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)  # stray C-level writes to stdout must not corrupt the protocol
_current = [None]
_cancelled = set()  # ids of requests asked to stop


def emit(event):
    _protocol.write(json.dumps(event) + "\n")
    _protocol.flush()


class _LineWriter:
    """sys.stdout / sys.stderr replacement: whole lines become log events."""

    def __init__(self, stream):
        self._buf = ""
        self.stream = stream

    def write(self, text):
        self._buf += text
        while "\n" in self._buf:
            line, self._buf = self._buf.split("\n", 1)
            emit({"event": "log", "id": _current[0], "stream": self.stream, "text": line.rstrip("\r")})
        return len(text)

    def flush(self):
        if self._buf:
            emit({"event": "log", "id": _current[0], "stream": self.stream, "text": self._buf})
            self._buf = ""

    def isatty(self):
        return False

    def fileno(self):
        return 2

    @property
    def encoding(self):
        return "utf-8"


sys.stdout = _LineWriter("stdout")
sys.stderr = _LineWriter("stderr")


class GuardError(RuntimeError):
    pass


class Cancelled(BaseException):
    """Raised by the cancel signal; a BaseException so that no `except Exception` in a
    migration swallows it."""

    def __init__(self, message, in_step):
        super().__init__(message)
        self.in_step = in_step


def _revs(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(str(v) for v in value)
    return [str(value)]


class Driver:
    def __init__(self):
        from alembic import command, config as alembic_config
        from alembic.script import ScriptDirectory

        self.command = command
        self.alembic_config = alembic_config
        self.config = None
        self._script = None
        original = ScriptDirectory.from_config.__func__
        driver = self

        # One revision map per "open": the files do not change between the steps of a
        # stairway or a replay, and reading them is most of what each command costs.
        def from_config(cls, config):
            if config is driver.config:
                if driver._script is None:
                    driver._script = original(cls, config)
                return driver._script
            return original(cls, config)

        ScriptDirectory.from_config = classmethod(from_config)
        self.guard_url = None
        self.in_step = False
        self._hook_steps()
        self._hook_step_boundaries()
        self._hook_statements()
        self._hook_guard()
        signal.signal(signal.SIGUSR1, self._on_cancel)

    @property
    def cancel_requested(self):
        return _current[0] in _cancelled

    def _on_cancel(self, signum, frame):
        if self.in_step and self.cancel_requested:
            raise Cancelled("cancelled during the step", True)

    def _hook_step_boundaries(self):
        """Between two steps (the previous one committed, the next not begun) is where a
        cancel stops cleanly: wrap the steps Alembic iterates."""
        from alembic.runtime import migration

        original = migration.MigrationContext.run_migrations
        driver = self

        def run_migrations(context, **kw):
            steps_fn = context._migrations_fn

            def committed():
                state = None
                try:
                    state = not context.connection.in_transaction()
                except Exception:
                    pass
                emit({"event": "committed", "id": _current[0], "committed": state})

            def stepping(heads, ctx):
                stepped = False
                for step in steps_fn(heads, ctx):
                    driver.in_step = False
                    if stepped:
                        committed()  # the step before left its `with begin_transaction()`
                    if driver.cancel_requested:
                        raise Cancelled("cancelled before %s" % (getattr(step, "short_log", None) or step), False)
                    driver.in_step = True
                    stepped = True
                    yield step
                driver.in_step = False
                if stepped:
                    committed()

            if steps_fn is not None:
                context._migrations_fn = stepping
            try:
                return original(context, **kw)
            finally:
                context._migrations_fn = steps_fn
                driver.in_step = False

        migration.MigrationContext.run_migrations = run_migrations

    def _hook_statements(self):
        try:
            from sqlalchemy import event
            from sqlalchemy.engine import Engine
        except ImportError:
            return
        driver = self

        def after_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            if not driver.in_step:
                return
            committed = None
            try:
                dbapi = conn.connection.dbapi_connection
                in_transaction = getattr(dbapi, "in_transaction", None)
                if isinstance(in_transaction, bool):
                    committed = not in_transaction
            except Exception:
                pass
            emit({"event": "sql", "id": _current[0], "sql": str(statement)[:4000], "committed": committed})

        event.listen(Engine, "after_cursor_execute", after_cursor_execute)

    def _hook_guard(self):
        """With a guard set, a migration context on any other database than the scratch one
        stops before a statement runs: an env.py that builds its own URL (from the
        environment, a settings module) must not replay migrations on the user's database."""
        from alembic.runtime import migration

        original = migration.MigrationContext.configure.__func__
        driver = self

        def configure(cls, *args, **kwargs):
            if driver.guard_url is not None:
                connection = kwargs.get("connection", args[0] if args else None)
                url = kwargs.get("url", args[1] if len(args) > 1 else None)
                if connection is not None:
                    driver.check_target(connection.engine.url)
                elif url is not None and not (kwargs.get("opts") or {}).get("as_sql"):
                    driver.check_target(url)
            return original(cls, *args, **kwargs)

        migration.MigrationContext.configure = classmethod(configure)

    def check_target(self, actual):
        from sqlalchemy.engine.url import make_url

        def key(u):
            u = make_url(u) if isinstance(u, str) else u
            backend = u.get_backend_name()
            if backend == "sqlite":
                db = u.database or ""
                return (backend, os.path.realpath(db) if db and db != ":memory:" else db)
            return (backend, u.host or "localhost", u.port, u.database)

        def shown(u):
            u = make_url(u) if isinstance(u, str) else u
            return u.render_as_string(hide_password=True) if hasattr(u, "render_as_string") else repr(u)

        if key(actual) != key(self.guard_url):
            raise GuardError("env.py connects to %s, not to the scratch database %s that Retort asked for "
                             "(it does not take its URL from sqlalchemy.url); stopped before any statement ran"
                             % (shown(actual), shown(self.guard_url)))

    def _hook_steps(self):
        try:
            from alembic.runtime import migration
        except ImportError:
            return
        maintainer = getattr(migration, "HeadMaintainer", None)
        update = getattr(maintainer, "update_to_step", None)
        if update is None:
            return

        def update_to_step(head_maintainer, step):
            update(head_maintainer, step)
            try:
                up = bool(step.is_upgrade)
                emit({"event": "step", "id": _current[0], "up": up,
                      "from": _revs(step.from_revisions), "to": _revs(step.to_revisions)})
            except Exception:  # the report is a courtesy; the step itself has succeeded
                pass

        maintainer.update_to_step = update_to_step

    def open(self, req):
        import argparse

        cwd = req.get("cwd")
        if cwd:
            os.chdir(cwd)
            if cwd not in sys.path:
                sys.path.insert(0, cwd)
        cfg = self.alembic_config.Config(req["config"], ini_section=req.get("section") or "alembic")
        cfg.cmd_opts = argparse.Namespace(x=list(req.get("x") or []), raiseerr=True)
        url = req.get("url")
        if url:
            cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        self.guard_url = url if (url and req.get("guard")) else None
        self.config = cfg
        self._script = None

    def run(self, req):
        op = req["op"]
        if op == "open":
            self.open(req)
            return
        if self.config is None:
            raise RuntimeError("no project open: send an 'open' request first")
        if op == "upgrade":
            self.command.upgrade(self.config, req["target"], sql=bool(req.get("sql")))
        elif op == "downgrade":
            self.command.downgrade(self.config, req["target"], sql=bool(req.get("sql")))
        elif op == "stamp":
            self.command.stamp(self.config, req["target"], purge=bool(req.get("purge")))
        else:
            raise ValueError("unknown request %r" % op)


def main():
    try:
        import alembic
        driver = Driver()
    except BaseException as e:  # an interpreter without Alembic: say so and stop
        emit({"event": "fatal", "error": "%s: %s" % (type(e).__name__, e)})
        return 3
    emit({"event": "ready", "alembic": getattr(alembic, "__version__", "?"), "python": sys.version.split()[0]})
    requests = queue.Queue()
    main_thread = threading.main_thread().ident

    def read_requests():
        for raw in sys.stdin.buffer:
            try:
                req = json.loads(raw.decode("utf-8"))
            except ValueError as e:
                requests.put({"op": "bad", "error": str(e)})
                continue
            if req.get("op") == "cancel":
                _cancelled.add(req.get("id"))
                if driver.in_step and _current[0] == req.get("id"):
                    signal.pthread_kill(main_thread, signal.SIGUSR1)
                continue
            requests.put(req)
        requests.put(None)

    threading.Thread(target=read_requests, daemon=True).start()
    while True:
        req = requests.get()
        if req is None:
            return 0
        if req.get("op") == "bad":
            emit({"event": "end", "id": None, "ok": False, "error": "bad request: %s" % req["error"]})
            continue
        if req.get("op") == "quit":
            emit({"event": "end", "id": req.get("id"), "ok": True})
            return 0
        _current[0] = req.get("id")
        try:
            driver.run(req)
            sys.stdout.flush()
            sys.stderr.flush()
            emit({"event": "end", "id": req.get("id"), "ok": True})
        except BaseException as e:
            sys.stdout.flush()
            sys.stderr.flush()
            message = str(e) or type(e).__name__
            if type(e).__name__ not in ("CommandError", "GuardError", "Cancelled"):
                message = "%s: %s" % (type(e).__name__, message)
            cancelled = isinstance(e, (Cancelled, KeyboardInterrupt))
            # Interrupted inside a step (or by SIGINT): whatever was under way is in an
            # unknown state; a fresh driver serves the next request.
            leaving = isinstance(e, KeyboardInterrupt) or (isinstance(e, Cancelled) and e.in_step)
            emit({"event": "end", "id": req.get("id"), "ok": False, "error": message,
                  "traceback": traceback.format_exc(), "cancelled": cancelled, "exit": leaving})
            if leaving:
                return 1
        finally:
            _cancelled.discard(_current[0])
            _current[0] = None


if __name__ == "__main__":
    sys.exit(main())

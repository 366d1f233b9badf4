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
  <- {"event": "step", "id": 2, "up": true, "from": ["a1"], "to": ["b2"]}
  <- {"event": "end", "id": 2, "ok": true}
  <- {"event": "end", "id": 2, "ok": false, "error": "...", "traceback": "..."}
"""
import json
import os
import sys
import traceback

_protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)  # stray C-level writes to stdout must not corrupt the protocol
_current = [None]


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
        self._hook_steps()
        self._hook_guard()

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
    for raw in sys.stdin.buffer:
        try:
            req = json.loads(raw.decode("utf-8"))
        except ValueError as e:
            emit({"event": "end", "id": None, "ok": False, "error": "bad request: %s" % e})
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
            if type(e).__name__ not in ("CommandError", "GuardError"):
                message = "%s: %s" % (type(e).__name__, message)
            emit({"event": "end", "id": req.get("id"), "ok": False, "error": message,
                  "traceback": traceback.format_exc()})
            if isinstance(e, KeyboardInterrupt):
                return 1
        finally:
            _current[0] = None
    return 0


if __name__ == "__main__":
    sys.exit(main())

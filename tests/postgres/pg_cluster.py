"""A throw-away PostgreSQL cluster for the tests: initdb into a temporary folder, pg_ctl start on 127.0.0.1.

Used by the session fixture in tests/conftest.py (when PostgreSQL's server binaries are installed, e.g.
Debian's ``postgresql`` package, or ``SOCPLAN_TEST_PG_URL`` points to a server of your own), by the
long concurrency run and by the benchmarks. No system service is touched; as root the server runs as
the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ENV_URL = "SOCPLAN_TEST_PG_URL"
SUPERUSER = "postgres"


def find_bin(name: str) -> str | None:
    """``initdb`` / ``pg_ctl`` on PATH or in /usr/lib/postgresql/N/bin (newest N)."""
    found = shutil.which(name)
    if found:
        return found
    hits = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    hits.sort(key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)), reverse=True)  # type: ignore[union-attr]
    return hits[0] if hits else None


def available() -> bool:
    """True when the tests can have a PostgreSQL server: an explicit URL or the server binaries."""
    return bool(os.environ.get(ENV_URL)) or (find_bin("initdb") is not None and find_bin("pg_ctl") is not None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A running server; ``url(dbname, user)`` gives a ``postgresql://`` address on it."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.port = 0
        self.host = "127.0.0.1"
        self.superuser = SUPERUSER
        self._external = os.environ.get(ENV_URL)
        self._run_as: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> "Cluster":
        if self._external:
            from sqlalchemy.engine import make_url

            url = make_url(self._external)
            self.host, self.port, self.superuser = url.host or "127.0.0.1", url.port or 5432, url.username or SUPERUSER
            return self
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: install the postgresql package")
        self.folder = Path(tempfile.mkdtemp(prefix="socplan-pg-"))
        if os.geteuid() == 0:
            self._run_as = SUPERUSER
            pw = pwd.getpwnam(SUPERUSER)
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        self.port = _free_port()
        data = self.folder / "data"
        self._run([initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C",
                   "--no-sync"])
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=120 "
                   "-c shared_buffers=64MB")
        self._run([pg_ctl, "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start"])
        return self

    def stop(self) -> None:
        if self._external or self.folder is None:
            return
        pg_ctl = find_bin("pg_ctl")
        try:
            self._run([pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"])  # type: ignore[list-item]
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _run(self, cmd: list[str]) -> None:
        if self._run_as:
            cmd = ["runuser", "-u", self._run_as, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {result.stdout}\n{result.stderr}")

    # -- addresses and administration ----------------------------------------------------------------------
    def url(self, dbname: str, user: str | None = None) -> str:
        return f"postgresql://{user or self.superuser}@{self.host}:{self.port}/{dbname}"

    def admin(self):  # noqa: ANN201
        """An autocommit psycopg connection as the superuser to the maintenance database."""
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.superuser, dbname="postgres",
                               autocommit=True)

    def create_database(self, name: str, template: str | None = None) -> None:
        from psycopg import sql

        with self.admin() as conn:
            if template:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                              sql.Identifier(template)))
            else:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def require_password(self, login: str, password: str) -> None:
        """Make ``login`` authenticate with a password (scram-sha-256) over TCP; everyone else stays trusted."""
        if self.folder is None:
            raise RuntimeError("a password login needs the throw-away cluster (its pg_hba.conf is edited)")
        hba = self.folder / "data" / "pg_hba.conf"
        line = f"host all {login} 127.0.0.1/32 scram-sha-256\n"
        text = hba.read_text()
        if line not in text:
            hba.write_text(line + text)
        with self.admin() as conn:
            from psycopg import sql

            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(login), sql.Literal(password)))
            conn.execute("SELECT pg_reload_conf()")

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

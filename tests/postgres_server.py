"""A throwaway PostgreSQL server for the store tests: its own cluster in a temporary folder,
listening only on a Unix socket in that folder, removed at the end of the session.

Needs Debian's `postgresql` (initdb, pg_ctl) and psycopg; `scripts/setup.sh --test` installs both.
Without them the PostgreSQL tests are skipped, unless PBJ_REQUIRE_POSTGRES=1 (set by CI), where a
missing server is a failure, so the PostgreSQL path cannot go untested silently.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _unavailable(why: str):
    if os.environ.get("PBJ_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL wajib untuk uji ini, tetapi {why}")
    pytest.skip(f"PostgreSQL tidak tersedia: {why}")


class PostgresServer:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            _unavailable("initdb tidak ditemukan (pasang paket Debian postgresql)")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            _unavailable("psycopg belum terpasang (pip install 'psycopg[binary]')")
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="pbj-pg-"))
        self.data = self.root / "data"
        # initdb refuses to run as root: run the server as the postgres system user then
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self.root.chmod(0o755)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "pbj", "-E", "UTF8", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "log"), "-o",
                  f"-k {self.root} -c listen_addresses='' -c fsync=off", "start")
        self.counter = 0

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin_dir / tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://pbj@/{dbname}?host={self.root}"

    def new_database(self) -> str:
        """A fresh empty database; returns its SQLAlchemy URL."""
        import psycopg

        self.counter += 1
        name = f"uji_{self.counter}"
        with psycopg.connect(host=str(self.root), user="pbj", dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                        "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)

"""A throw-away PostgreSQL cluster for the tests and the team benchmark.

The cluster lives in a fresh temporary folder: ``initdb`` with SCRAM authentication only,
``pg_ctl start`` listening on a Unix socket in that folder (no TCP port, so parallel runs never
collide), and ``pg_ctl stop`` plus removal at the end. PostgreSQL refuses to run as root, and CI
runs as root: then the server runs as an unprivileged account (``nobody``) through ``runuser``
(or ``setpriv``), and the folder is handed to it. The superuser's password travels in a
``--pwfile`` inside the folder, never in argv.

Where no PostgreSQL can be found or started, :func:`start_cluster` raises :class:`Unavailable`
with the reason, which the fixtures turn into a visible skip.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "casecoord_super"
UNPRIVILEGED = "nobody"
_SEARCH = ("/usr/lib/postgresql",)


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here (the reason is the message)."""


def find_bindir() -> Path | None:
    """PostgreSQL's bin folder: $CASECOORD_PG_BINDIR, ``pg_config --bindir``, then Debian's
    versioned folders (newest first)."""
    configured = os.environ.get("CASECOORD_PG_BINDIR")
    candidates: list[Path] = [Path(configured)] if configured else []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    for root in _SEARCH:
        base = Path(root)
        if base.is_dir():
            versions = sorted(
                (p for p in base.iterdir() if p.name.isdigit()), key=lambda p: -int(p.name)
            )
            candidates.extend(v / "bin" for v in versions)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


@dataclass
class Cluster:
    bindir: Path
    base: Path
    password: str
    run_as: str | None

    @property
    def socket_dir(self) -> Path:
        return self.base / "sock"

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def url(
        self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        """A SQLAlchemy URL over the cluster's Unix socket."""
        secret = self.password if password is None and user == SUPERUSER else password
        auth = quote(user, safe="") + (":" + quote(secret, safe="") if secret else "")
        return f"postgresql+psycopg://{auth}@/{database}?host={self.socket_dir}"

    def conninfo(
        self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        """A libpq connection string (for psycopg directly)."""
        secret = self.password if password is None and user == SUPERUSER else password
        from psycopg.conninfo import make_conninfo

        return make_conninfo(host=str(self.socket_dir), dbname=database, user=user, password=secret)

    def stop(self) -> None:
        _run(
            self,
            [str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast", "-w"],
            check=False,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def _prefix(run_as: str | None) -> list[str]:
    if run_as is None:
        return []
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", run_as, "--"]
    setpriv = shutil.which("setpriv")
    if setpriv:
        entry = pwd.getpwnam(run_as)
        return [
            setpriv,
            f"--reuid={entry.pw_uid}",
            f"--regid={entry.pw_gid}",
            "--clear-groups",
            "--",
        ]
    raise Unavailable(
        "running as root, and neither runuser nor setpriv is available to drop privileges"
    )


def _run(cluster: Cluster, argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    done = subprocess.run(
        _prefix(cluster.run_as) + argv,
        capture_output=True,
        text=True,
        env=env,
        cwd=cluster.base,
        check=False,
    )
    if check and done.returncode != 0:
        raise Unavailable(
            f"{Path(argv[0]).name} failed: {(done.stderr or done.stdout).strip()[-400:]}"
        )
    return done


def start_cluster() -> Cluster:
    """Create and start a cluster; the caller must call :meth:`Cluster.stop`."""
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl) found; install postgresql"
        )
    run_as: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(UNPRIVILEGED)
        except KeyError:
            raise Unavailable(
                f"running as root and there is no '{UNPRIVILEGED}' account to run PostgreSQL"
            ) from None
        run_as = UNPRIVILEGED
    base = Path(tempfile.mkdtemp(prefix="casecoord-pg-"))
    cluster = Cluster(bindir, base, secrets.token_urlsafe(24), run_as)
    try:
        cluster.socket_dir.mkdir()
        pwfile = base / "pwfile"
        pwfile.write_text(cluster.password + "\n", encoding="utf-8")
        if run_as is not None:
            entry = pwd.getpwnam(run_as)
            for path in (base, cluster.socket_dir, pwfile):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            base.chmod(0o711)  # the server owns it; root (the tests) reaches the socket
            cluster.socket_dir.chmod(0o755)
        pwfile.chmod(0o600)
        _run(
            cluster,
            [
                str(bindir / "initdb"),
                "-D", str(cluster.data_dir),
                "-U", SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        )  # fmt: skip
        pwfile.unlink()
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{cluster.socket_dir}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        _run(
            cluster,
            [
                str(bindir / "pg_ctl"), "start", "-w", "-t", "60",
                "-D", str(cluster.data_dir),
                "-l", str(base / "server.log"),
                "-o", options,
            ],
        )  # fmt: skip
    except BaseException:
        log = base / "server.log"
        detail = log.read_text(errors="replace")[-400:] if log.exists() else ""
        cluster.stop()
        if detail:
            raise Unavailable(f"PostgreSQL did not start: {detail.strip()}") from None
        raise
    return cluster

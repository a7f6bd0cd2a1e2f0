"""Settings for the workspace: where data lives, which database, who may log in, upload limits.

Read from an optional TOML file (path in PBJ_CONFIG) and then from environment variables, which
win. Example file:

    data_dir = "/srv/pbj"
    database_url = "postgresql+psycopg://pbj@localhost/pbj"   # any SQLAlchemy URL
    host = "0.0.0.0"
    port = 7860

    [limits]
    max_file_mb = 50
    max_files = 20

    [[users]]
    name = "budi"
    password = "rahasia"
    role = "penyusun"      # penyusun: sees own reviews; reviu: sees all and decides

Environment: PBJ_DATA_DIR, PBJ_DATABASE_URL, PBJ_HOST, PBJ_PORT, PBJ_MAX_FILE_MB,
PBJ_USERS ("nama:sandi:peran,nama2:sandi2:peran2").
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

ROLES = ("penyusun", "reviu")
LOCAL_USER = "lokal"  # the single user of local mode (no login)


class ConfigError(ValueError):
    """A setting is invalid; the message is in Bahasa Indonesia."""


@dataclass(frozen=True)
class User:
    name: str
    password: str
    role: str = "penyusun"


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 50.0  # one uploaded file
    max_files: int = 30  # files in one review, after unzipping
    max_zip_entries: int = 200
    max_unzipped_mb: float = 200.0  # total expanded size of one ZIP
    max_zip_ratio: float = 100.0  # expanded/compressed, per entry: beyond this it is a zip bomb


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 7860
    users: tuple[User, ...] = ()
    limits: Limits = field(default_factory=Limits)

    @property
    def login_required(self) -> bool:
        return bool(self.users)

    def user(self, name: str | None) -> User:
        """The user behind a login name; local mode has one reviewer who may do everything."""
        if not self.users or name is None:
            return User(LOCAL_USER, "", "reviu")
        for u in self.users:
            if u.name == name:
                return u
        raise ConfigError(f"Pengguna '{name}' tidak dikenal")

    def check_password(self, name: str, password: str) -> bool:
        return any(u.name == name and u.password == password for u in self.users)


def default_data_dir() -> Path:
    """~/.pbj-reviewer when the home folder is writable, else ./.reviewer-data."""
    home = Path.home()
    if home.is_dir() and os.access(home, os.W_OK):
        return home / ".pbj-reviewer"
    return Path.cwd() / ".reviewer-data"


def _parse_users(raw: object) -> tuple[User, ...]:
    users: list[User] = []
    if isinstance(raw, str):
        items = []
        for part in filter(None, (p.strip() for p in raw.split(","))):
            bits = part.split(":")
            if len(bits) not in (2, 3):
                raise ConfigError(f"PBJ_USERS tidak valid: '{part}' (format nama:sandi:peran)")
            items.append({"name": bits[0], "password": bits[1], "role": bits[2] if len(bits) == 3 else "penyusun"})
        raw = items
    for item in raw or []:
        if not isinstance(item, dict) or not item.get("name") or not item.get("password"):
            raise ConfigError("Setiap pengguna perlu 'name' dan 'password'")
        role = str(item.get("role", "penyusun"))
        if role not in ROLES:
            raise ConfigError(f"Peran '{role}' tidak dikenal untuk {item['name']} (pilih {', '.join(ROLES)})")
        users.append(User(str(item["name"]), str(item["password"]), role))
    return tuple(users)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data: dict = {}
    cfg = env.get("PBJ_CONFIG")
    if cfg:
        path = Path(cfg).expanduser()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"Berkas konfigurasi tidak ditemukan: {path}") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"Berkas konfigurasi {path} tidak valid: {e}") from None

    data_dir = Path(env.get("PBJ_DATA_DIR") or data.get("data_dir") or default_data_dir()).expanduser()
    db_url = env.get("PBJ_DATABASE_URL") or data.get("database_url") or f"sqlite:///{data_dir / 'reviews.db'}"
    limits_raw = dict(data.get("limits") or {})
    if env.get("PBJ_MAX_FILE_MB"):
        limits_raw["max_file_mb"] = env["PBJ_MAX_FILE_MB"]
    unknown = set(limits_raw) - set(Limits.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"Batas unggahan tidak dikenal: {', '.join(sorted(unknown))}")
    try:
        limits = Limits(**{k: type(getattr(Limits, k))(v) for k, v in limits_raw.items()})
        port = int(env.get("PBJ_PORT") or data.get("port") or 7860)
    except ValueError as e:
        raise ConfigError(f"Nilai angka tidak valid pada konfigurasi: {e}") from None
    users = _parse_users(env["PBJ_USERS"]) if env.get("PBJ_USERS") else _parse_users(data.get("users"))
    return Settings(
        data_dir=data_dir,
        database_url=db_url,
        host=str(env.get("PBJ_HOST") or data.get("host") or "127.0.0.1"),
        port=port,
        users=users,
        limits=limits,
    )

"""Configuration, read once from the environment (``SHUNIU_*``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APPLICATION_NAME = "shuniu"
SQLITE_FACTORY_TOPIC = "shuniu.application.sqlite:ShuniuSQLiteFactory"
POSTGRES_FACTORY_TOPIC = "shuniu.application.postgres:ShuniuPostgresFactory"
CHAINED_RECORDER_TOPIC = {
    "sqlite": "shuniu.application.chain:ChainedSQLiteApplicationRecorder",
    "postgres": "shuniu.application.chain:ChainedPostgresApplicationRecorder",
}

Use = Literal["commands", "reads", "projection"]
AGGREGATE_CACHE = 10_000
POOL_OVERFLOW: dict[Use, int] = {"commands": 16, "reads": 8, "projection": 2}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHUNIU_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///shuniu.db",
        description="sqlite:///path/to/file.db or postgresql://user@host:port/dbname",
    )
    admin_token: SecretStr | None = Field(
        default=None, description="a token accepted as the admin principal; none by default"
    )
    log_format: Literal["json", "console"] | None = Field(
        default=None, description="json or console; by default console on a terminal"
    )
    min_position_timeout: float = Field(
        default=5.0, gt=0, description="seconds a read waits for X-Min-Position"
    )
    postgres_pool_size: int = Field(
        default=4, ge=1, description="connections the API keeps open for commands"
    )
    store_timeout: int = Field(
        default=5,
        ge=1,
        description="seconds a request waits for PostgreSQL (a connection, the events "
        "table's lock) before it answers 503",
    )
    ready_max_lag: int = Field(
        default=10_000, ge=0, description="/readyz fails when a read model lags more events"
    )
    aggregate_cache_size: int = Field(
        default=AGGREGATE_CACHE,
        ge=0,
        description="aggregates the API keeps in memory, brought up to date from the store "
        "at each use (the library's fast-forwarding cache), so that a command costs the "
        "same whatever its aggregate's history; 0 turns it off",
    )
    api_processes: int = Field(
        default=1,
        ge=1,
        description="API processes that share the store (shuniu serve --workers sets it); "
        "above 1, a principal is loaded afresh on every request, since another process "
        "may have revoked it",
    )
    command_turns: bool = Field(
        default=True,
        description="commands on one aggregate take turns in arrival order (no command "
        "starves another); false lets them race, the loser running again",
    )
    duty_report_max_age_days: int = Field(
        default=120,
        ge=1,
        description="an active hub with no duty report for longer is flagged overdue",
    )

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            msg = "SHUNIU_DATABASE_URL must start with sqlite:/// or postgresql://"
            raise ValueError(msg)
        return url

    def _cache_env(self) -> dict[str, str]:
        """The library's aggregate cache, for commands.

        A process that is the store's only API process (``api_processes`` 1)
        writes every change there is (the projections and the command line
        add no events to existing aggregates), and puts every aggregate it
        saves into the cache: a cached aggregate is current, and is used as it
        is. With several API processes, another may have changed it, so each
        use first fast-forwards it over the events stored since.
        """
        if self.aggregate_cache_size == 0:
            return {}
        fastforward = "y" if self.api_processes > 1 else "n"
        return {
            "AGGREGATE_CACHE_MAXSIZE": str(self.aggregate_cache_size),
            "AGGREGATE_CACHE_FASTFORWARD": fastforward,
        }

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    def eventsourcing_env(self, use: Use = "commands") -> dict[str, str]:
        """The eventsourcing library's environment for these settings.

        On PostgreSQL every pool keeps ``pool size`` connections open and
        grows by up to ``overflow`` under load: the API's command pool is the
        large one; read-model readers and projection runners keep one each.
        """
        cache = self._cache_env() if use == "commands" else {}
        if not self.is_postgres:
            path = self.database_url.removeprefix("sqlite:///")
            return cache | {
                "PERSISTENCE_MODULE": SQLITE_FACTORY_TOPIC,
                "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER_TOPIC["sqlite"],
                "SQLITE_DBNAME": str(Path(path)) if path != ":memory:" else path,
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        url = urlsplit(self.database_url)
        return cache | {
            "PERSISTENCE_MODULE": POSTGRES_FACTORY_TOPIC,
            "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER_TOPIC["postgres"],
            "POSTGRES_DBNAME": unquote(url.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size if use == "commands" else 1),
            "POSTGRES_MAX_OVERFLOW": str(POOL_OVERFLOW[use]),
            "POSTGRES_CONNECT_TIMEOUT": str(self.store_timeout),
            # A save waits no longer for the events table's lock than for a connection.
            "POSTGRES_LOCK_TIMEOUT": str(self.store_timeout),
        }

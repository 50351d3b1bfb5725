"""One typed settings object, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graphsvc.errors import ConfigError


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def _at_least_one(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 1:
        raise ConfigError(f"{name} must be 1 or more, not {value}.")
    return value


def _probability(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a probability such as 0.99, not {raw!r}.") from None
    if not 0.0 < value < 1.0:
        raise ConfigError(f"{name} must lie between 0 and 1 (exclusive), not {raw!r}.")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _tile_url(raw: str) -> str:
    if raw and not (raw.startswith("https://") and all(f"{{{k}}}" in raw for k in "zxy")):
        raise ConfigError("GRAPHSVC_TILE_URL must be an https:// address with {z}, {x} and {y}, "
                          f"not {raw!r}.")
    return raw


def tile_origin(url: str) -> str:
    """`https://host[:port]` of a tile URL (what the Content-Security-Policy must allow)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if url else ""


def _path(name: str) -> Path | None:
    raw = os.environ.get(name, "").strip()
    return Path(raw).absolute() if raw else None


def _app_db(url: str) -> str:
    if url and not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ConfigError(f"GRAPHSVC_APP_DB must be empty (SQLite files) or a postgresql:// "
                          f"URL, not one starting {url.split(':', 1)[0]!r}.")
    return url


@dataclass(frozen=True)
class Settings:
    # Folder for everything this machine writes: embedded graph, app database, audit, reports.
    data_dir: Path = field(default_factory=lambda: Path("var"))
    # "embedded" for the FalkorDB engine in data_dir, or a bolt:// / neo4j:// URI for Neo4j.
    graph_uri: str = "embedded"
    # Name of the graph (FalkorDB graph key, or Neo4j database name when not "graphsvc").
    graph_name: str = "graphsvc"
    # Neo4j credentials, used only with a bolt:// or neo4j:// graph_uri.
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    # Neo4j database to use; empty means the server's default database.
    neo4j_database: str = ""
    # Seconds to wait for the embedded engine to load its data and answer.
    engine_start_timeout: int = 300
    # Rows sent to the engine in one UNWIND batch.
    batch_size: int = 5000
    # Rules evaluated at once in a run of several (graphsvc/rules/run.py): each rule's reads
    # and comparison run beside another's, their writes one at a time. 1 runs them in turn.
    rule_workers: int = 2
    # Batches of one file written at once by an import, on an engine that runs transactions
    # side by side (Neo4j; FalkorDB writes one at a time). 1 writes them in turn.
    import_in_flight: int = 2
    # Secret key for signing web sessions; must be set in production.
    secret_key: str = ""
    # Host and port for `graphsvc serve`.
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # Send the session cookie only over HTTPS (browsers treat http://127.0.0.1 as secure too);
    # set GRAPHSVC_COOKIE_SECURE=false only for plain-HTTP development on another host name.
    cookie_secure: bool = True
    # Minutes without a click after which a web session ends and the user signs in again.
    session_idle_minutes: int = 30
    # Folder for the app and audit databases (app.db, audit.db); empty means data_dir.
    app_data_dir: Path | None = None
    # Application data (users, sessions, audit log, ...) in PostgreSQL: a postgresql:// URL;
    # empty keeps them in SQLite files in the app dir (one host only).
    app_db: str = ""
    # The force's own map tile server, e.g. https://tiles.force.example/{z}/{x}/{y}.png: drawn
    # beneath the address check's picture; empty (the default) draws no map and fetches nothing.
    tile_url: str = ""
    # Record linkage: pairs at or above this probability are linked automatically...
    link_automatic: float = 0.7
    # ...and pairs at or above this one (below the first) wait in the review queue.
    link_review: float = 0.5
    # Key of the audit log's HMAC chain; empty means the key file below.
    audit_key: str = ""
    # File holding that key, outside the data dir (created on first use); empty means
    # `<app dir>.audit-key` beside the app dir (set a path on another volume in production).
    audit_key_file: Path | None = None
    # Folder (e.g. a write-once mount) where audit checkpoints are written; empty means none.
    audit_anchor_dir: Path | None = None
    # Address of the reverse proxy in front of `graphsvc serve`, whose X-Forwarded-For gives
    # each client's address (sign-in throttling counts per address); empty means none.
    trusted_proxy: str = ""
    # Send each response's timing (graph statements, audit write, page) in a Server-Timing
    # header: for the benchmarks (`bench search`, `bench address`); off in production, where
    # it would tell any client how long each part took.
    server_timing: bool = False

    @property
    def embedded(self) -> bool:
        return self.graph_uri in ("", "embedded")

    @property
    def app_dir(self) -> Path:
        return Path(self.app_data_dir) if self.app_data_dir else Path(self.data_dir)

    @property
    def engine_dir(self) -> Path:
        return self.data_dir / "engine"

    @classmethod
    def from_env(cls) -> Settings:
        uri = os.environ.get("GRAPHSVC_GRAPH_URI", "embedded").strip() or "embedded"
        if uri != "embedded" and not uri.startswith(("bolt://", "neo4j://", "bolt+s://",
                                                     "neo4j+s://", "bolt+ssc://", "neo4j+ssc://")):
            raise ConfigError(
                "GRAPHSVC_GRAPH_URI must be 'embedded' or a bolt:// or neo4j:// address, "
                f"not {uri!r}."
            )
        return cls(
            data_dir=Path(os.environ.get("GRAPHSVC_DATA_DIR", "var")).absolute(),
            app_data_dir=(Path(os.environ["GRAPHSVC_APP_DIR"]).absolute()
                          if os.environ.get("GRAPHSVC_APP_DIR", "").strip() else None),
            app_db=_app_db(os.environ.get("GRAPHSVC_APP_DB", "").strip()),
            graph_uri=uri,
            graph_name=os.environ.get("GRAPHSVC_GRAPH_NAME", "graphsvc"),
            neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
            neo4j_database=os.environ.get("NEO4J_DATABASE", ""),
            engine_start_timeout=_int("GRAPHSVC_ENGINE_START_TIMEOUT", 300),
            batch_size=_int("GRAPHSVC_BATCH_SIZE", 5000),
            rule_workers=_at_least_one("GRAPHSVC_RULE_WORKERS", 2),
            import_in_flight=_at_least_one("GRAPHSVC_IMPORT_IN_FLIGHT", 2),
            secret_key=os.environ.get("GRAPHSVC_SECRET_KEY", ""),
            web_host=os.environ.get("GRAPHSVC_WEB_HOST", "127.0.0.1"),
            web_port=_int("GRAPHSVC_WEB_PORT", 8000),
            cookie_secure=_bool("GRAPHSVC_COOKIE_SECURE", True),
            session_idle_minutes=_int("GRAPHSVC_SESSION_IDLE_MINUTES", 30),
            tile_url=_tile_url(os.environ.get("GRAPHSVC_TILE_URL", "").strip()),
            link_automatic=_probability("GRAPHSVC_LINK_AUTOMATIC", 0.7),
            link_review=_probability("GRAPHSVC_LINK_REVIEW", 0.5),
            audit_key=os.environ.get("GRAPHSVC_AUDIT_KEY", "").strip(),
            audit_key_file=_path("GRAPHSVC_AUDIT_KEY_FILE"),
            audit_anchor_dir=_path("GRAPHSVC_AUDIT_ANCHOR_DIR"),
            trusted_proxy=os.environ.get("GRAPHSVC_TRUSTED_PROXY", "").strip(),
            server_timing=_bool("GRAPHSVC_SERVER_TIMING", False),
        )

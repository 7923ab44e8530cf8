"""Prometheus metrics (``GET /metrics``): requests, latencies, events appended, projections.

Request and event counters live in this process; projection positions and lag
are read from the store when scraped, so an API started with
``--no-projections`` still reports how far the separate workers are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from shuniu.settings import APPLICATION_NAME


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "shuniu_http_requests",
            "HTTP requests answered, by method, route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shuniu_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route",
            ["method", "route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.lock = Histogram(
            "shuniu_store_lock_seconds",
            "How long each save held the store's write lock (PostgreSQL: the events "
            "table's, from LOCK to COMMIT's answer; SQLite: the database's)",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.events = Counter(
            "shuniu_events_appended",
            "Events this process appended to the log (policies' events included)",
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def watch_projections(
        self,
        head: Callable[[], int],
        positions: Callable[[], dict[str, int]],
        stalled: Callable[[], dict[str, int]],
    ) -> None:
        self.registry.register(ProjectionCollector(head, positions, stalled))


class ProjectionCollector(Collector):
    def __init__(
        self,
        head: Callable[[], int],
        positions: Callable[[], dict[str, int]],
        stalled: Callable[[], dict[str, int]],
    ) -> None:
        self.head = head
        self.positions = positions
        self.stalled = stalled

    def collect(self) -> Iterator[GaugeMetricFamily]:
        head = self.head()
        log = GaugeMetricFamily(
            "shuniu_log_position", f"Last position of the {APPLICATION_NAME} event log"
        )
        log.add_metric([], head)
        position = GaugeMetricFamily(
            "shuniu_projection_position",
            "Last log position each read model applied",
            labels=["projection"],
        )
        lag = GaugeMetricFamily(
            "shuniu_projection_lag",
            "Events each read model has yet to apply",
            labels=["projection"],
        )
        stalled = GaugeMetricFamily(
            "shuniu_projection_stalled_at",
            "Position of the event a read model cannot apply (0: not stalled)",
            labels=["projection"],
        )
        stops = self.stalled()
        for name, at in self.positions().items():
            position.add_metric([name], at)
            lag.add_metric([name], max(head - at, 0))
            stalled.add_metric([name], stops.get(name, 0))
        yield log
        yield position
        yield lag
        yield stalled

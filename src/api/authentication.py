"""Who a token is: the admin of SHUNIU_ADMIN_TOKEN, or a principal of the event store.

Tokens are 256 random bits, stored as their SHA-256 only; a principal's id is
uuid5 of that digest, so finding one is a load by id, never a projection's
read. A process that is the store's only API process remembers the
principals it has seen (``PrincipalCache``): a principal never changes but
for its revocation, and every revocation is a command of this process, which
forgets the principal in the same step (``forget_revoked``). Where several
API processes share the store (``SHUNIU_API_PROCESSES`` above 1, as
``shuniu serve --workers`` sets), a revocation can come from another one, so
each request loads the principal afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any
from uuid import uuid5

from shuniu.aggregates.base import MUNICIPALITY
from shuniu.aggregates.principal import PRINCIPAL_NAMESPACE, Principal
from shuniu.application import Shuniu
from shuniu.commands.access import Caller

ADMIN = Caller(
    id=uuid5(PRINCIPAL_NAMESPACE, "admin:SHUNIU_ADMIN_TOKEN"),
    name="admin (SHUNIU_ADMIN_TOKEN)",
    role="admin",
    jurisdiction=MUNICIPALITY,
)
"""The operator of SHUNIU_ADMIN_TOKEN. Its id is the same whatever the token, so the
actor ids in the log say nothing about the token (an id derived from the token would
let anyone holding an export test guesses of it offline)."""

MAX_REMEMBERED = 100_000


class PrincipalCache:
    def __init__(self, app: Shuniu, *, remember: bool) -> None:
        self.app = app
        self.remember = remember
        self._known: dict[str, Caller] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Caller | None:
        """A principal this process has seen, without any I/O."""
        return self._known.get(digest) if self.remember else None

    def load(self, digest: str) -> Caller | None:
        """From the event store (blocking)."""
        principal = self.app.authenticate(digest)
        if principal is None:
            return None
        caller = Caller(
            id=principal.id,
            name=principal.name,
            role=principal.role,
            jurisdiction=principal.jurisdiction,
            hub_id=principal.hub_id,
        )
        if self.remember:
            with self._lock:
                if len(self._known) >= MAX_REMEMBERED:
                    self._known.clear()
                self._known[digest] = caller
        return caller

    def forget_all(self) -> None:
        with self._lock:
            self._known = {}

    def forget_revoked(self, events: Iterable[Any]) -> None:
        """Called with the events of every save of this process."""
        for event in events:
            if isinstance(event, Principal.Revoked):
                with self._lock:
                    self._known = {
                        d: c for d, c in self._known.items() if c.id != event.originator_id
                    }


__all__ = ["ADMIN", "PrincipalCache"]

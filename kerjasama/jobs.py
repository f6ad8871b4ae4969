"""Work handed to Celery: the database row is the outbox, the broker only a doorbell.

An action writes its state and the row of the work it starts (a render job, a notification
owing its e-mail) in one transaction. Only after the commit is the task published, with short
broker timeouts (settings: CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_TASK_PUBLISH_RETRY_POLICY); a
broker that is down or does not answer costs the request at most a few seconds and is logged,
never turned into an error page for an action that succeeded. Beat's sweepers (every minute)
publish again what is still waiting a minute after its commit and take back work whose worker
died (its lease expired). Every task is idempotent: it claims its row before working, so a
message published twice does the work once.
"""

import logging
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# After the broker failed once, requests stop knocking for this long: one action may publish
# several tasks (a rendering and the e-mails of its notifications), and each knock on a broker
# that hangs costs up to BROKER_TIMEOUT_SECONDS. Their rows stay queued for the sweepers, which
# call `publish` directly and so keep trying every minute.
BROKER_BACKOFF_SECONDS = 30
# time.monotonic() before which publishing after a commit is skipped (0: the broker answered).
_broker_down_until = 0.0


def publish(task, *args) -> bool:
    """Send `task(*args)` to the broker now; False (and a log line) when the broker refused.

    Without a broker (the embedded default) the task runs here and then; its failure is logged
    and left to the job row, like a worker's.
    """
    global _broker_down_until
    try:
        task.apply_async(args=args)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("Could not hand %s%r to Celery; the sweeper will try again.", task.name, args, exc_info=True)
        return False
    _broker_down_until = 0.0
    return True


def broker_backing_off() -> bool:
    """Whether the broker failed within the last BROKER_BACKOFF_SECONDS."""
    return _broker_down_until > time.monotonic()


def reset_backoff() -> None:
    global _broker_down_until
    _broker_down_until = 0.0


def publish_unless_backing_off(task, *args) -> bool:
    """Publish now, unless the broker failed within the last BROKER_BACKOFF_SECONDS; for work
    that writes no row first (a request that reads only), where nothing waits for a commit."""
    if broker_backing_off():
        logger.info("Broker failed moments ago; %s%r is left to the sweeper.", task.name, args)
        return False
    return publish(task, *args)


def publish_on_commit(task, *args) -> None:
    """Publish once the surrounding transaction commits (at once outside one); never raises.
    Skipped while the broker is backing off (the row waits for the sweeper)."""
    transaction.on_commit(partial(publish_unless_backing_off, task, *args))


def lease() -> timedelta:
    """How long a worker holds a claimed job before the sweeper takes it back: longer than the
    longest task may run (CELERY_TASK_TIME_LIMIT), so a live worker is never overtaken."""
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def republish_after() -> timedelta:
    """How long a job may wait in the queue before the sweeper publishes it again."""
    return timedelta(seconds=settings.JOB_REPUBLISH_SECONDS)

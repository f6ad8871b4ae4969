"""Demo volume for monitoring: generated notifications for the benchmark."""

import random

from django.utils import timezone

from registry.models import User

from .models import Notification

TITLES = [
    "Laporan pelaksanaan bulan ini belum dikirim",
    "Masa berlaku PKS berakhir dalam 30 hari",
    "Tenggat jawaban DPRD tinggal 5 hari kerja",
    "Rapat pleno TKKSD dijadwalkan minggu depan",
    "Kesepakatan Bersama belum ditindaklanjuti PKS",
]


def seed_notifications(size: int, *, batch: int = 5000) -> int:
    """Add `size` notifications spread over the demo users (bulk, for benchmarks)."""
    users = list(User.objects.values_list("pk", flat=True))
    if not users or size <= 0:
        return 0
    rng = random.Random(2026)
    now = timezone.now()
    created = 0
    while created < size:
        rows = [
            Notification(
                recipient_id=rng.choice(users),
                title=rng.choice(TITLES),
                body="Dibuat untuk pengukuran kinerja.",
                email_state=Notification.EmailState.NONE,
                read_at=now if rng.random() < 0.7 else None,
            )
            for _ in range(min(batch, size - created))
        ]
        Notification.objects.bulk_create(rows)
        created += len(rows)
    return created

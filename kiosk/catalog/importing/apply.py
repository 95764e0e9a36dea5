"""Write an import's items and removals, batch by batch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from kiosk.catalog.bulk import write_batch
from kiosk.catalog.services import remove_item
from kiosk.regions.services import ensure_region

# Items per batch: one lookup and one multi-row write each, and a checkpoint after it. A
# batch holds SQLite's write lock for about a tenth of a second, so halls' polls and
# resident pages get their turn between batches.
BATCH = 1000


def write_items(
    session: Session,
    items: Sequence[dict[str, str]],
    removed: Sequence[str],
    regions: Sequence[str],
    actor: str,
    checkpoint: Callable[[], None] | None,
) -> Counter:
    """Upsert `items` (distinct codes), remove `removed`; counts what each really did."""
    counts: Counter = Counter()
    for region_path in regions:
        ensure_region(session, region_path)
    for start in range(0, len(items), BATCH):
        counts += write_batch(session, items[start : start + BATCH], actor)
        if checkpoint is not None:
            checkpoint()
    for code in removed:
        counts["removed"] += remove_item(session, code, actor)
    session.flush()
    if checkpoint is not None and removed:
        checkpoint()
    for outcome in ("added", "changed", "unchanged", "removed"):
        counts.setdefault(outcome, 0)
    return counts

"""Background work of the members app (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def expire_moves():
    """Mark expired the moves left unanswered for ``MOVE_EXPIRY_DAYS``; returns how many."""
    from members.moves.transfers import moves_expire

    return moves_expire()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member records")

    def ready(self):
        from django.db.models import signals

        from branches.services import register_closing_check, register_merge_step
        from branches.signals import organization_moved
        from members import closing, tallies
        from members.models import Member, NumberRange, UnusedNumber

        # Stored counts follow every single-object write (see members.tallies for why signals).
        signals.pre_save.connect(tallies.remember_member, sender=Member, dispatch_uid="tally_m0")
        signals.post_save.connect(tallies.member_changed, sender=Member, dispatch_uid="tally_m1")
        signals.post_delete.connect(tallies.member_deleted, sender=Member, dispatch_uid="tally_m2")
        signals.pre_save.connect(
            tallies.remember_span, sender=UnusedNumber, dispatch_uid="tally_u0"
        )
        signals.post_save.connect(
            tallies.span_changed, sender=UnusedNumber, dispatch_uid="tally_u1"
        )
        signals.post_delete.connect(
            tallies.span_deleted, sender=UnusedNumber, dispatch_uid="tally_u2"
        )
        signals.post_save.connect(
            tallies.range_changed, sender=NumberRange, dispatch_uid="tally_r1"
        )
        # Ranges store their holder's depth: a moved subtree's ranges follow it.
        organization_moved.connect(tallies.ranges_follow_move, dispatch_uid="ranges_follow_move")
        # An organisation closes once its members and ranges are gone; a merge moves them.
        register_closing_check(closing.closing_problems)
        register_merge_step(closing.merge_step)
        # The moves and number admins live in their topic packages, beside the member admin.
        from members.moves import admin as moves_admin  # noqa: F401  (registers the moves admin)
        from members.numbers import admin as numbers_admin  # noqa: F401
        from members.numbers import admin_lookups  # noqa: F401

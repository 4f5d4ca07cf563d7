"""Every file that leaves the system goes through here: writing, stamping, logging and the
background decision.

Views return :func:`export_response` (through :mod:`spreadsheets.exporting`, so
that ``members`` can too); the command, the background task and submissions call
:func:`export_write`. Both log to :class:`~reports.models.ExportLog` and both apply the one
stamp rule, :func:`stamp_check`.
"""

import logging
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from reports.models import Channel, ExportLog, Issuer
from reports.submissions.stamping import (
    CODE,
    FOOTER_GAP,
    SEAL_PROPERTY,
    Footer,
    Signer,
    image_digest,
)
from spreadsheets.exporting import StoredFile  # noqa: F401 - re-exported
from spreadsheets.tables import get_table
from spreadsheets.writer import TableWriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000
SEAL_WIDTH_PX = 120


class StampRefused(PermissionDenied):
    """A table may be stamped only as the user's own organisation."""


def stamp_check(*, table, organization, user=None):
    """The stamp rule, in one place: stamp only as your own organisation, and only official
    tables. ``user`` None is the server's operator running a command, who names the issuer."""
    if not table.stampable:
        raise StampRefused(_("This file cannot be stamped."))
    if user is not None and access.home_organization(user) != organization:
        raise StampRefused(_("A table can only be stamped as your own organisation."))


@dataclass(frozen=True)
class ExportResult:
    rows: int
    code: str | None = None
    footer: Footer | None = None


def footer_for(organization, today=None):
    """The issuing block of a stamped table: the organisation, the date and who to call."""
    issuer = Issuer.objects.filter(organization=organization).first()
    return Footer(
        issuer=organization.name,
        issuer_code=organization.code,
        issued_on=(today or timezone.localdate()).isoformat(),
        contact=(issuer.contact_person if issuer else "") or organization.secretary_name,
        phone=(issuer.contact_phone if issuer else "") or organization.secretary_phone,
    )


def seal_image(organization):
    issuer = Issuer.objects.filter(organization=organization).first()
    if issuer is None or not issuer.seal:
        return None
    with issuer.seal.open("rb") as handle:
        return handle.read()


def _seal_scale(data):
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(data)) as picture:
        return SEAL_WIDTH_PX / max(picture.size)


def export_write(
    *,
    table,
    organization,
    target,
    user=None,
    stamp=False,
    channel=Channel.COMMAND,
    on_progress=None,
    log=True,
    **options,
):
    """Write ``table`` for ``organization`` to ``target``; stamp it as ``organization`` if asked.

    Rows stream from the table's queryset into the constant-memory writer; the verification
    code is computed on the way. Returns an :class:`ExportResult`.
    """
    if stamp:
        stamp_check(table=table, organization=organization, user=user)
    title = table.title(organization, **options)
    signer = Signer() if stamp else None
    footer = code = None
    with TableWriter(target, title=title, columns=table.columns) as writer:
        if signer:
            signer.sheet(writer.sheet.name)
            signer.row(1, [title])
            signer.row(2, [column.name for column in table.columns])
        for values in table.rows(organization, user=user, **options):
            values = list(values)
            if signer:
                signer.row(writer.next_row + 1, values)
            writer.write_row(values)
            if on_progress and writer.rows_written % PROGRESS_EVERY == 0:
                on_progress(writer.rows_written)
        if signer:
            footer = footer_for(organization)
            first = writer.next_row + FOOTER_GAP + 1  # as Excel numbers rows
            for offset, line in enumerate(footer.lines()):
                signer.row(first + offset, line)
            signer.row(first + len(footer.lines()), [CODE])
            seal = seal_image(organization)
            digests = [image_digest(seal)] if seal else []
            code = signer.code(seal_digests=digests)
            placed = writer.write_footer([*footer.lines(), (CODE, code)], gap=FOOTER_GAP)
            if seal:
                # Like a paper seal, it sits over the issuer's name and the words 填报单位（盖章）.
                writer.insert_image(
                    placed[0] - 1, 0, seal, scale=_seal_scale(seal), offset=(40, 0), name="seal.png"
                )
            properties = {SEAL_PROPERTY: digests[0]} if seal else {}
            writer.set_properties(
                issuer=organization.name,
                issuer_code=organization.code,
                verification_code=code,
                **properties,
            )
        rows = writer.rows_written
    if log:
        export_log(
            user=user,
            kind=table.kind,
            organization=organization,
            rows=rows,
            stamped=stamp,
            channel=channel,
            options=options,
        )
    logger.info(
        "Exported %s of %s: %d rows%s",
        table.kind,
        organization.code,
        rows,
        " stamped" if stamp else "",
    )
    return ExportResult(rows=rows, code=code, footer=footer)


def export_log(*, user, kind, organization, rows, stamped, channel, options):
    """One row of the export log: who, which table, of which organisation, how many rows.

    Options that are lists (the lines of a look-up) are logged as their length: the log says
    what was asked, without copying ID numbers into it.
    """
    return ExportLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        organization=organization,
        organization_code=organization.code,
        rows=rows,
        stamped=stamped,
        channel=channel,
        options={
            name: len(value) if isinstance(value, (list, tuple)) else str(value)
            for name, value in (options or {}).items()
        },
    )


def runs_in_background(table, organization, user=None, **options):
    """Whether an export is large enough to leave the request for a background task."""
    return table.count(organization, user=user, **options) > settings.BACKGROUND_EXPORT_ROWS


def _filename(table, organization, options):
    if table.filename is not None:
        return f"{table.filename(organization, **options)}.xlsx"
    return f"{table.kind}-{organization.code}-{timezone.localdate():%Y%m%d}.xlsx"


def export_response(request, *, kind, organization, options=None, stamp=False, stored=None):
    """The response that hands a file to ``request.user``: the one way a file leaves the system.

    ``kind`` names a registered table and ``organization`` the subtree it covers; the caller has
    checked that the user may see it. The table is written now and sent, or, when it has more
    rows than ``BACKGROUND_EXPORT_ROWS``, prepared by the task worker while the user watches its
    progress (the answer is then a redirect to that page). A :class:`StoredFile` is sent as it
    is. Either way the download is logged, and ``stamp`` follows :func:`stamp_check` (404 when
    refused, as for anything else outside the user's reach).
    """
    from reports.submissions.background import export_job_start

    user = request.user
    options = options or {}
    if stored is not None:
        export_log(
            user=user,
            kind=kind,
            organization=organization,
            rows=stored.rows,
            stamped=stored.stamped,
            channel=Channel.WEB,
            options=options,
        )
        return FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=stored.file.name.rsplit("/", 1)[-1],
            content_type=XLSX,
        )
    table = get_table(kind)
    if stamp:
        try:
            stamp_check(table=table, organization=organization, user=user)
        except StampRefused as exc:
            raise Http404(str(exc)) from None
    if runs_in_background(table, organization, user=user, **options):
        job = export_job_start(
            user=user, kind=kind, organization=organization, stamp=stamp, options=options
        )
        return redirect("reports:export_job", job.pk)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    export_write(
        table=table,
        organization=organization,
        target=handle,
        user=user,
        stamp=stamp,
        channel=Channel.WEB,
        **options,
    )
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename(table, organization, options),
        content_type=XLSX,
    )

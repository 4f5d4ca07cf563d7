"""Every export goes through here: writing, stamping, logging and the background decision.

The command, the download pages, the background task and submissions all call
:func:`export_write`, so each export is stamped the same way and lands in the export log.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from reports.models import Channel, ExportLog, Issuer
from reports.stamping import CODE, FOOTER_GAP, SEAL_PROPERTY, Footer, Signer, image_digest
from youthleague.spreadsheets.writer import TableWriter

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000
SEAL_WIDTH_PX = 120


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
        ExportLog.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            kind=table.kind,
            organization=organization,
            organization_code=organization.code,
            rows=rows,
            stamped=stamp,
            channel=channel,
            options={k: str(v) for k, v in options.items()},
        )
    logger.info(
        "Exported %s of %s: %d rows%s",
        table.kind,
        organization.code,
        rows,
        " stamped" if stamp else "",
    )
    return ExportResult(rows=rows, code=code, footer=footer)


def runs_in_background(table, organization, user=None, **options):
    """Whether an export is large enough to leave the request for a background task."""
    return table.count(organization, user=user, **options) > settings.BACKGROUND_EXPORT_ROWS

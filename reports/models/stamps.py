from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from branches.validators import validate_phone

MAX_SEAL_BYTES = 512 * 1024
MIN_SEAL_PIXELS, MAX_SEAL_PIXELS = 100, 1200


def validate_seal(image):
    """A PNG of modest size, square-ish, as a scanned or generated seal is."""
    if image.size > MAX_SEAL_BYTES:
        raise ValidationError(
            _("The seal image must be at most %(kb)d KB.") % {"kb": MAX_SEAL_BYTES // 1024}
        )
    from PIL import Image

    image.seek(0)
    try:
        with Image.open(image) as picture:
            kind, (width, height) = picture.format, picture.size
    except Exception:
        raise ValidationError(_("The seal must be a PNG image.")) from None
    finally:
        image.seek(0)
    if kind != "PNG":
        raise ValidationError(_("The seal must be a PNG image."))
    if not (
        MIN_SEAL_PIXELS <= width <= MAX_SEAL_PIXELS and MIN_SEAL_PIXELS <= height <= MAX_SEAL_PIXELS
    ):
        raise ValidationError(
            _("The seal must be between %(min)d and %(max)d pixels on each side.")
            % {"min": MIN_SEAL_PIXELS, "max": MAX_SEAL_PIXELS}
        )


class Issuer(models.Model):
    """How an organisation signs the tables it sends up: its seal and its contact person."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="issuer",
        verbose_name=_("organisation"),
    )
    seal = models.FileField(
        _("seal image (PNG)"),
        upload_to="seals/",
        blank=True,
        validators=[validate_seal],
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seal and contact")
        verbose_name_plural = _("seals and contacts")

    def __str__(self):
        return str(self.organization)

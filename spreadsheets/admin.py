"""An admin "Import" button for a :class:`TableImport`: upload, dry run, then confirm.

The uploaded file is checked in a dry run first; only when every row is accepted does the page
offer to import it, and the confirmation re-runs the same import for real. The file waits between
the two steps in a private folder under a random name that only the uploader's session knows.
A file over the background threshold is handed to the task worker at once (see ``uploads``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from spreadsheets.exporting import StoredFile, export_response
from spreadsheets.uploads import (
    UploadForm,
    import_job_start,
    pending_dir,
    runs_in_background,
    upload_store,
)

SESSION_KEY = "pending_imports"


ERROR_REPORTS_KEY = "import_error_reports"


class TableImportAdminMixin:
    """Adds ``<changelist>/import/`` running ``table_import`` for users allowed to import."""

    table_import = None
    change_list_template = "admin/spreadsheets/change_list.html"

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.table_import_view),
                name="{}_{}_table_import".format(*info),
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(self.table_template_view),
                name="{}_{}_table_template".format(*info),
            ),
            path(
                "import/errors/<str:token>/",
                self.admin_site.admin_view(self.table_error_report_view),
                name="{}_{}_table_error_report".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.table_import is not None and self.has_import_permission(request):
            info = self.model._meta.app_label, self.model._meta.model_name
            extra_context["table_import_url"] = reverse(
                "admin:{}_{}_table_import".format(*info), current_app=self.admin_site.name
            )
        return super().changelist_view(request, extra_context)

    def table_import_view(self, request):
        if self.table_import is None or not self.has_import_permission(request):
            raise PermissionDenied
        pending = request.session.get(SESSION_KEY, {})
        outcome = None
        token = None
        error_report = None
        form = UploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            token = request.POST.get("token", "")
            name = pending.pop(token, None) if token.isalnum() else None
            request.session[SESSION_KEY] = pending
            if name is None:
                messages.error(request, _("The upload has expired; choose the file again."))
                return redirect(request.path)
            stored = pending_dir() / name
            try:
                outcome = self.table_import.run(stored, user=request.user, dry_run=False)
            finally:
                stored.unlink(missing_ok=True)
            if outcome.written:
                messages.success(request, outcome.summary())
                info = self.model._meta.app_label, self.model._meta.model_name
                return redirect(reverse("admin:{}_{}_changelist".format(*info)))
            token = None
        elif request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                name = upload_store(upload)
                if runs_in_background(upload):
                    info = self.model._meta.app_label, self.model._meta.model_name
                    job = import_job_start(
                        user=request.user,
                        table_import=self.table_import,
                        file_name=name,
                        back_url=reverse("admin:{}_{}_changelist".format(*info)),
                    )
                    return redirect("spreadsheets:import_job", job.pk)
                token = name.removesuffix(".xlsx")
                stored = pending_dir() / name
                report = pending_dir() / f"{self.table_import.name}-errors-{token[:8]}.xlsx"
                outcome = self.table_import.run(
                    stored, user=request.user, dry_run=True, error_report=str(report)
                )
                if outcome.ok:
                    pending[token] = stored.name
                    request.session[SESSION_KEY] = pending
                else:
                    stored.unlink(missing_ok=True)
                    error_report = self._keep_error_report(request, token, outcome, report)
                    token = None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(table)s") % {"table": self.table_import.title},
            "table_import": self.table_import,
            "form": form,
            "outcome": outcome,
            "token": token,
            "template_url": self._import_url(request, "table_template"),
            "error_report_url": error_report
            and self._import_url(request, "table_error_report", error_report),
        }
        return TemplateResponse(request, "admin/spreadsheets/import.html", context)

    def _import_url(self, request, view, *args):
        info = self.model._meta.app_label, self.model._meta.model_name
        return reverse(
            "admin:{}_{}_{}".format(*info, view), args=args, current_app=self.admin_site.name
        )

    def _keep_error_report(self, request, token, outcome, report):
        """Offer the error report the dry run wrote; only the uploader's session may fetch it."""
        if not outcome.error_report_rows:
            return None
        reports = request.session.get(ERROR_REPORTS_KEY, {})
        reports[token] = (report.name, outcome.error_report_rows)
        request.session[ERROR_REPORTS_KEY] = reports
        return token

    def export_organization(self, request):
        """The organisation a file this page hands out is logged against (the user's own)."""
        raise NotImplementedError("the admin must say which organisation its files belong to")

    def table_error_report_view(self, request, token):
        if self.table_import is None or not self.has_import_permission(request):
            raise PermissionDenied
        name, rows = request.session.get(ERROR_REPORTS_KEY, {}).get(token, (None, 0))
        report = pending_dir() / name if name and token.isalnum() else None
        if report is None or not report.exists():
            raise Http404
        return export_response(
            request,
            kind=self.table_import.error_report_kind,
            organization=self.export_organization(request),
            stored=StoredFile(file=report, rows=rows),
        )

    def table_template_view(self, request):
        if self.table_import is None or not self.has_import_permission(request):
            raise PermissionDenied
        return export_response(
            request,
            kind=self.table_import.template_kind,
            organization=self.export_organization(request),
        )

"""The 待办 page and the notifications page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import access
from reports.forms import NotificationPreferenceForm
from reports.models import Notification
from reports.notifications import delivery_of, mark_read, preference_set
from reports.todo import todo_items

PAGE_SIZE = 50


@login_required
def todo(request):
    """What waits for the user, with a link to where each is done."""
    return render(
        request,
        "reports/todo.html",
        {"items": todo_items(request.user), "organization": access.home_organization(request.user)},
    )


@login_required
def notifications(request):
    """The user's notifications, newest first, and how they want them by e-mail."""
    user = request.user
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            preference_set(user=user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Saved."))
            return redirect("reports:notifications")
    else:
        form = NotificationPreferenceForm(initial={"delivery": delivery_of(user)})
    page = Paginator(Notification.objects.for_user(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/notifications.html",
        {
            "page": page,
            "form": form,
            "unread": Notification.objects.for_user(user).unread().count(),
        },
    )


@login_required
@require_POST
def notifications_read(request):
    """Mark one notification (``id``) or all of the user's notifications read."""
    ids = request.POST.getlist("id")
    try:
        chosen = [int(i) for i in ids] if ids else None
    except ValueError:
        chosen = []
    mark_read(user=request.user, notification_ids=chosen)
    return redirect("reports:notifications")

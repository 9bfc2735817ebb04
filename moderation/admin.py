"""The moderation queue, the audit log, spam keywords and sign-up review, in the admin.

Every decision goes through moderation.services (audited, notified); nothing here
writes a moderation flag itself. Moderators need `moderation.moderate_content` to
act (the "Moderators" group has it); viewing needs the models' view permissions.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, Value, When
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from moderation import services
from moderation.models import (
    Appeal,
    AuditLogEntry,
    ModerationCase,
    Report,
    ReportReason,
    SignupReview,
    SpamKeyword,
)
from moderation.targets import SPECS, targets_bulk
from redbook.exceptions import ServiceError

Decision = ModerationCase.Status


class ReasonActionForm(helpers.ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.ACTIONED, _("Take down (hide / remove / suspend / delist)")),
            (Decision.RESTORED, _("Restore")),
            (Decision.DISMISSED, _("Dismiss the reports")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ModeratorActionsMixin:
    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm(services.PERMISSION)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["reporter", "reason", "detail", "weight", "from_new_account", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reporter")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AppealInline(admin.StackedInline):
    model = Appeal
    fields = ["author", "reason", "status", "created_at", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AppealFilter(admin.SimpleListFilter):
    title = _("appeal")
    parameter_name = "appeal"

    def lookups(self, request, model_admin):
        return Appeal.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(appeal__status=self.value()) if self.value() else queryset


class QueueChangeList(ChangeList):
    """Loads the targets of a whole page at once (one query per target type)."""

    def get_results(self, request):
        super().get_results(request)
        targets = targets_bulk((case.target_type, case.target_id) for case in self.result_list)
        for case in self.result_list:
            case.target = targets.get((case.target_type, case.target_id))


@admin.register(ModerationCase)
class ModerationCaseAdmin(ModeratorActionsMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "preview",
        "report_count",
        "weight",
        "ring",
        "reasons",
        "status",
        "appeal_status",
        "auto_hidden",
        "last_reported_at",
    ]
    list_filter = ["status", "target_type", "ring_suspected", AppealFilter, "auto_hidden"]
    list_per_page = 50
    inlines = [AppealInline, ReportInline]
    action_form = ReasonActionForm
    actions = ["take_down", "restore", "dismiss"]
    fields = [
        "target_type",
        "target_id",
        "preview",
        "status",
        "report_count",
        "report_weight",
        "new_account_reports",
        "ring_suspected",
        "auto_hidden",
        "opened_at",
        "last_reported_at",
        "resolved_at",
        "resolved_by",
        "decision_reason",
    ]
    readonly_fields = fields
    change_form_template = "admin/moderation/moderationcase/change_form.html"

    def get_queryset(self, request):
        per_reason = {
            f"n_{reason}": Count("reports", filter=Q(reports__reason=reason)) for reason in ReportReason.values
        }
        is_open = Case(When(status=Decision.OPEN, then=Value(1)), default=Value(0))
        # Annotate before ordering: the queue orders by `is_open` (ModelAdmin's own
        # get_queryset would order first).
        cases = self.model._default_manager.select_related("appeal").annotate(is_open=is_open, **per_reason)
        return cases.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["-is_open", "-report_count", "-last_reported_at"]  # the queue: open, most reported first

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a case changes only through a decision

    @admin.display(description=_("Content"))
    def preview(self, case):
        target = getattr(case, "target", None)
        if target is None:  # the change page, or a target deleted since
            target = SPECS[case.target_type].model.objects.filter(pk=case.target_id).first()
        if target is None:
            return _("(deleted)")
        spec = SPECS[case.target_type]
        link = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', spec.url(target), _("Open on site"))
        return format_html("{}<br>{}", spec.preview(target), link)

    @admin.display(description=_("Weight"), ordering="report_weight")
    def weight(self, case):
        return f"{case.report_weight:.2f}"

    @admin.display(description=_("Report ring?"), boolean=True, ordering="ring_suspected")
    def ring(self, case):
        """Many reports from new accounts: weigh the reports with care (and the reporters)."""
        return case.ring_suspected

    @admin.display(description=_("Appeal"))
    def appeal_status(self, case):
        appeal = getattr(case, "appeal", None)
        return appeal.get_status_display() if appeal else ""

    @admin.display(description=_("Reasons"))
    def reasons(self, case):
        counts = [(label, getattr(case, f"n_{value}", 0)) for value, label in ReportReason.choices]
        return format_html_join(", ", "{} × {}", ((label, n) for label, n in counts if n))

    def _decide_many(self, request, queryset, decision: str) -> None:
        reason = request.POST.get("reason", "")
        done = 0
        for case in queryset:
            try:
                services.case_decide(case=case, decision=decision, moderator=request.user, reason=reason)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{case}: {exc.message}", messages.ERROR)
        self.message_user(request, ngettext("%d case decided.", "%d cases decided.", done) % done)

    @admin.action(description=_("Take down the reported content"), permissions=["moderate"])
    def take_down(self, request, queryset):
        self._decide_many(request, queryset, Decision.ACTIONED)

    @admin.action(description=_("Restore the content (reverse a take-down)"), permissions=["moderate"])
    def restore(self, request, queryset):
        self._decide_many(request, queryset, Decision.RESTORED)

    @admin.action(description=_("Dismiss the reports"), permissions=["moderate"])
    def dismiss(self, request, queryset):
        self._decide_many(request, queryset, Decision.DISMISSED)

    def get_urls(self):
        decide = path(
            "<int:pk>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="moderation_moderationcase_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request, pk: int):
        """The decision form on a case's page posts here."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        case = get_object_or_404(ModerationCase, pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            self._decide_many(request, [case], form.cleaned_data["decision"])
        else:
            self.message_user(request, _("Choose a decision."), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:moderation_moderationcase_changelist"))

    def render_change_form(self, request, context, *args, **kwargs):
        context["decision_form"] = DecisionForm() if self.has_moderate_permission(request) else None
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ["created_at", "actor_name", "action", "target_type", "target_id", "reason"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "reason", "=target_id"]
    date_hierarchy = "created_at"
    fields = [*list_display, "case"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SpamKeyword)
class SpamKeywordAdmin(admin.ModelAdmin):
    list_display = ["phrase", "action", "is_active", "created_at"]
    list_editable = ["action", "is_active"]
    list_filter = ["action", "is_active"]
    search_fields = ["phrase"]


@admin.register(SignupReview)
class SignupReviewAdmin(ModeratorActionsMixin, admin.ModelAdmin):
    """Newest accounts first, with what they posted: spot and stop a spam wave."""

    list_display = ["username", "email", "display_name", "date_joined", "notes_count", "is_suspended"]
    list_filter = ["is_suspended", "account_type", "date_joined"]
    search_fields = ["username", "email", "display_name"]
    ordering = ["-date_joined"]
    list_per_page = 100
    action_form = ReasonActionForm
    actions = ["suspend_spam_signups"]
    fields = ["username", "email", "display_name", "bio", "date_joined", "last_login", "notes_count", "is_suspended"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Suspend selected accounts and take down their content"), permissions=["moderate"])
    def suspend_spam_signups(self, request, queryset):
        reason = request.POST.get("reason", "") or str(_("Spam sign-up"))
        count = services.signups_suspend(users=list(queryset), moderator=request.user, reason=reason)
        self.message_user(request, ngettext("%d account suspended.", "%d accounts suspended.", count) % count)

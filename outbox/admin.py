from django.contrib import admin

from outbox.models import PendingTask


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "attempts", "created_at", "last_error"]
    list_filter = ["task_name"]
    readonly_fields = ["task_name", "kwargs", "attempts", "last_error", "created_at"]

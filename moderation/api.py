"""Trust-and-safety JSON API (API.md "Trust and safety"): filing reports, appealing a take-down."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation import services
from moderation.models import Appeal, Report, ReportReason, TargetType
from redbook import input_fields
from redbook.throttling import ReportThrottle


class ReportCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    # Opaque: a note, comment or product id, or a username (or id) for users.
    target_id = serializers.CharField(max_length=150)
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    detail = serializers.CharField(
        max_length=input_fields.max_length_of(Report, "detail"), required=False, allow_blank=True, default=""
    )


class ReportSerializer(serializers.ModelSerializer):
    target_type = serializers.CharField(source="case.target_type", read_only=True)
    target_id = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "target_type", "target_id", "reason", "detail", "created_at"]
        read_only_fields = fields

    def get_target_id(self, report) -> str:
        # Echo the id the client used (a username for users), not our internal key.
        return self.context["target_id"]


class ReportCreateView(APIView):
    """File a report. One per reporter and target: repeating it returns the first
    report (201, as every idempotent POST of this API) and changes nothing."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ReportThrottle]

    @extend_schema(
        request=ReportCreateSerializer,
        responses={
            201: OpenApiResponse(ReportSerializer, description="The report (the existing one when repeated)."),
        },
    )
    def post(self, request):
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, _created = services.report_create(reporter=request.user, **data.validated_data)
        body = ReportSerializer(report, context={"target_id": data.validated_data["target_id"]}).data
        return Response(body, status=status.HTTP_201_CREATED)


class AppealCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=input_fields.max_length_of(Appeal, "reason"))


class AppealSerializer(serializers.ModelSerializer):
    note_id = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = ["id", "note_id", "reason", "status", "created_at"]
        read_only_fields = fields

    def get_note_id(self, appeal) -> int:
        return appeal.case.target_id


class AppealCreateView(APIView):
    """The author appeals the take-down of their note, once: 409 the second time (or
    when the note is not taken down), 404 for anyone else's note."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=AppealCreateSerializer,
        responses={201: AppealSerializer, 404: OpenApiResponse(description="Not your note."), 409: None},
    )
    def post(self, request, note_id):
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_create(author=request.user, note_id=note_id, reason=data.validated_data["reason"])
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

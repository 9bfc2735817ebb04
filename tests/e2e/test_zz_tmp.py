import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

def test_a(page_at):
    print("A groups", list(Group.objects.values_list("name", flat=True)), Permission.objects.count())

def test_b(page_at):
    print("B groups", list(Group.objects.values_list("name", flat=True)), Permission.objects.count())

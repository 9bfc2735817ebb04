from django.db import migrations, models


def number_repeated_names(apps, schema_editor):
    """Existing variants that share a name with an earlier one of their product get " (2)", " (3)"."""
    Variant = apps.get_model("shop", "Variant")
    seen: dict[tuple[int, str], int] = {}
    for variant in Variant.objects.order_by("product_id", "position", "id").only("pk", "product_id", "name").iterator():
        key = (variant.product_id, variant.name.casefold())
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            suffix = f" ({seen[key]})"
            Variant.objects.filter(pk=variant.pk).update(name=variant.name[: 60 - len(suffix)] + suffix)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0002_cart_cartitem_order_orderitem_payment_and_more"),
    ]

    operations = [
        migrations.RunPython(number_repeated_names, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="variant",
            constraint=models.UniqueConstraint(
                deferrable=models.Deferrable.DEFERRED, fields=("product", "name"), name="variant_name_unique_per_product"
            ),
        ),
    ]

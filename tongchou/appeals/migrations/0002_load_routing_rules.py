from django.db import migrations


def load(apps, schema_editor):
    from tongchou.appeals.rules_loader import load_routing_rules

    load_routing_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("regions", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

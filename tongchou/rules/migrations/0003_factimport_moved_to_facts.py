# FactImport now belongs to the facts app (tongchou.facts.models); its table and rows stay
# (facts 0002 renames the table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("rules", "0002_delivery_event_action"),
        ("facts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FactImport")],
            database_operations=[],
        ),
    ]

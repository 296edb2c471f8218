# The moved tables take this app's names (a rename: every row stays), and the (name, as_of) index
# its own name. Runs after enterprises and rules dropped the models from their state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("facts", "0001_initial"),
        ("enterprises", "0002_enterprisefact_moved_to_facts"),
        ("rules", "0003_factimport_moved_to_facts"),
    ]

    operations = [
        migrations.AlterModelTable(name="enterprisefact", table=None),
        migrations.AlterModelTable(name="factimport", table=None),
        migrations.RenameIndex(
            model_name="enterprisefact", new_name="facts_name_as_of_idx", old_name="enterprises_name_fcc57b_idx"
        ),
    ]

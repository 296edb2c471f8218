# The models EnterpriseFact (from enterprises) and FactImport (from rules) move into this app.
# State only: their tables already exist and keep every row; 0002 renames them.

import django.db.models.deletion
import tongchou.core.clock
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("enterprises", "0001_initial"),
        ("rules", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EnterpriseFact",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(db_index=True, max_length=64, verbose_name="事实名")),
                        ("value_number", models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name="数值")),
                        ("value_text", models.CharField(blank=True, max_length=200, verbose_name="文本值")),
                        ("source", models.CharField(blank=True, max_length=100, verbose_name="来源")),
                        ("as_of", models.DateField(verbose_name="数据日期")),
                        ("imported_at", models.DateTimeField(default=tongchou.core.clock.now, verbose_name="导入时间")),
                        ("enterprise", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="facts", to="enterprises.enterprise", verbose_name="企业")),
                    ],
                    options={
                        "verbose_name": "企业事实",
                        "verbose_name_plural": "企业事实",
                        "db_table": "enterprises_enterprisefact",
                        "indexes": [models.Index(fields=["name", "as_of"], name="enterprises_name_fcc57b_idx")],
                        "constraints": [models.UniqueConstraint(fields=("enterprise", "name", "as_of"), name="fact_unique_per_day")],
                    },
                ),
                migrations.CreateModel(
                    name="FactImport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("source", models.CharField(max_length=100, verbose_name="来源部门")),
                        ("as_of", models.DateField(verbose_name="数据日期")),
                        ("file_name", models.CharField(max_length=200, verbose_name="文件名")),
                        ("rows", models.PositiveIntegerField(default=0, verbose_name="行数")),
                        ("facts", models.PositiveIntegerField(default=0, verbose_name="事实数")),
                        ("columns", models.JSONField(default=list, verbose_name="列")),
                        ("imported_at", models.DateTimeField(default=tongchou.core.clock.now, verbose_name="导入时间")),
                        ("imported_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "部门数据导入",
                        "verbose_name_plural": "部门数据导入",
                        "db_table": "rules_factimport",
                        "ordering": ["-imported_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

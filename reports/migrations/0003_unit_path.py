from django.db import migrations, models


def fill_paths(apps, schema_editor):
    Unit = apps.get_model("reports", "AdministrativeUnit")
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    paths = {}

    def path(pk):
        if pk not in paths:
            parent = parents[pk]
            paths[pk] = f"{path(parent) if parent else '/'}{pk}/"
        return paths[pk]

    units = [Unit(pk=pk, path=path(pk)) for pk in parents]
    Unit.objects.bulk_update(units, ["path"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_documents")]

    operations = [
        migrations.AddField(
            model_name="administrativeunit",
            name="path",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255,
                help_text="Ids of the ancestors and the unit itself, root first: /12/345/6789/",
            ),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop),
    ]

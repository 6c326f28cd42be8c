from django.db import migrations, models


def chosen_zones_count_as_confirmed(apps, schema_editor):
    """A zone other than the default was chosen by its user: nothing to ask. Those left
    on UTC are asked once (the dashboard's banner)."""
    Preferences = apps.get_model("applications", "Preferences")
    Preferences.objects.exclude(time_zone="UTC").update(time_zone_confirmed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0010_signature_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="preferences",
            name="time_zone_confirmed",
            field=models.BooleanField(default=False, verbose_name="time zone confirmed"),
        ),
        migrations.RunPython(chosen_zones_count_as_confirmed, migrations.RunPython.noop),
    ]

"""Create one Audience row per code and the English locale (French comes with Wagtail)."""

from django.db import migrations

AUDIENCE_CODES = ["companies", "buyers", "job-seekers", "partners"]


def forwards(apps, schema_editor):
    Audience = apps.get_model("portal", "Audience")
    for code in AUDIENCE_CODES:
        Audience.objects.get_or_create(code=code)
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code in ("fr", "en"):
        Locale.objects.get_or_create(language_code=language_code)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

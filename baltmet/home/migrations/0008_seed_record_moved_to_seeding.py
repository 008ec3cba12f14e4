"""SeedRecord now belongs to the seeding app (baltmet/seeding/migrations/0001_initial.py):
the home app forgets it without touching the table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0007_drop_url_path_index'),
        ('seeding', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='SeedRecord')],
        ),
    ]

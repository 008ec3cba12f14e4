"""SeedRecord moves here from the home app: its table stays where it is (home_seedrecord)
until 0002 renames it, so existing databases keep their records."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('home', '0007_drop_url_path_index'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SeedRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text="The entry's key in the file.", max_length=255, unique=True)),
                        ('digest', models.CharField(help_text='SHA-256 of the entry as loaded.', max_length=64)),
                        ('loaded_at', models.DateTimeField(auto_now=True)),
                        ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='seed_record', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('revision', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
                    ],
                    options={'db_table': 'home_seedrecord'},
                ),
            ],
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('seeding', '0001_initial'),
        ('home', '0008_seed_record_moved_to_seeding'),
    ]

    operations = [
        migrations.AlterModelTable(name='seedrecord', table=None),
    ]

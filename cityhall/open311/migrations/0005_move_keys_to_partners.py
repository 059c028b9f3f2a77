# The partner keys' models moved to cityhall.partners; their tables stay as they are (see partners 0001).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('open311', '0004_idempotent_writes'),
        ('partners', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='apikey',
                    name='jurisdiction',
                ),
                migrations.RemoveField(
                    model_name='apikeyusage',
                    name='key',
                ),
                migrations.DeleteModel(
                    name='IdempotentWrite',
                ),
                migrations.DeleteModel(
                    name='ApiKey',
                ),
                migrations.DeleteModel(
                    name='ApiKeyUsage',
                ),
            ],
        ),
    ]

# The partner keys moved here from the Open311 app, which created their tables: only Django's idea of
# which app owns them changes (the tables keep their names), and their content types follow, so the
# admin permissions given on them still hold.

import cityhall.partners.models
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


MOVED = ("apikey", "apikeyusage", "idempotentwrite")


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="partners", model__in=MOVED).delete()
    ContentType.objects.filter(app_label="open311", model__in=MOVED).update(app_label="partners")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="partners", model__in=MOVED).update(app_label="open311")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalogue', '0009_service_sensitive'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('open311', '0004_idempotent_writes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text="The partner, e.g. 'FixMyStreet Santa Monica'.", max_length=120, unique=True)),
                        ('contact_email', models.EmailField(blank=True, max_length=254)),
                        ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('key_hint', models.CharField(editable=False, help_text='The first characters, to recognise a key.', max_length=12)),
                        ('scopes', models.JSONField(default=cityhall.partners.models.default_scopes, help_text="What the key may do: read: Read only (no writes); submit: Submit requests; update-own: Update the requests this key submitted; update-any: Update any request (the city's own back-office systems).", validators=[cityhall.partners.models.validate_scopes])),
                        ('rate_limit_per_minute', models.PositiveIntegerField(default=60, help_text='Calls allowed per minute: Open311 POSTs and every JSON API call, counted together.', validators=[django.core.validators.MinValueValidator(1)])),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('revoked_at', models.DateTimeField(blank=True, help_text='Set to revoke the key; a revoked key is refused.', null=True)),
                        ('last_used_at', models.DateTimeField(blank=True, null=True)),
                        ('jurisdiction', models.ForeignKey(blank=True, help_text='Limit the key to one jurisdiction; empty means any jurisdiction of this deployment.', null=True, on_delete=django.db.models.deletion.CASCADE, to='catalogue.jurisdiction')),
                    ],
                    options={
                        'verbose_name': 'API key',
                        'db_table': 'open311_apikey',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ApiKeyUsage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('minute', models.DateTimeField()),
                        ('count', models.PositiveIntegerField(default=0)),
                        ('key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='usage', to='partners.apikey')),
                    ],
                    options={
                        'db_table': 'open311_apikeyusage',
                        'constraints': [models.UniqueConstraint(fields=('key', 'minute'), name='api_key_usage_minute')],
                    },
                ),
                migrations.CreateModel(
                    name='IdempotentWrite',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(help_text='A prefix per interface, then the Idempotency-Key or the update_id.', max_length=300)),
                        ('fingerprint', models.CharField(help_text='SHA-256 of what the write asked for, without the key.', max_length=64)),
                        ('status', models.PositiveSmallIntegerField()),
                        ('content_type', models.CharField(max_length=100)),
                        ('body', models.BinaryField()),
                        ('created_at', models.DateTimeField()),
                        ('key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='writes', to='partners.apikey')),
                    ],
                    options={
                        'db_table': 'open311_idempotentwrite',
                        'indexes': [models.Index(fields=['created_at'], name='idempotent_write_created')],
                        'constraints': [models.UniqueConstraint(fields=('key', 'token'), name='idempotent_write_key_token')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]

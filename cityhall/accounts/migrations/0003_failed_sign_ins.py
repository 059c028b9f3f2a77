import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_saved_places"),
    ]

    operations = [
        migrations.CreateModel(
            name="FailedSignIn",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True)),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("password", "Password"),
                            ("code", "One-time code"),
                            ("second_factor", "Second factor"),
                            ("sso", "City single sign-on"),
                        ],
                        max_length=16,
                    ),
                ),
                ("email_fingerprint", models.CharField(blank=True, db_index=True, max_length=16)),
                ("ip", models.GenericIPAddressField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="failed_sign_ins",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at"],
            },
        ),
    ]

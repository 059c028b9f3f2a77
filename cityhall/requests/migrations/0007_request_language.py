from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0006_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="The language the report was made in (its messages follow it).",
                max_length=8,
            ),
        ),
    ]

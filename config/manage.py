"""The `cityhall` command: Django's manage.py, installed as a console script in the project's venv."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from cityhall.core.deployment import NotReadyForProduction

    try:
        execute_from_command_line(sys.argv)
    except NotReadyForProduction as refused:
        # An operator's mistake, not a bug: say what to set, without a traceback to read through.
        sys.exit(str(refused))


if __name__ == "__main__":
    main()

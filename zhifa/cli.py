"""The `zhifa` command: Django's management commands under the project's own name.

    zhifa demo                      migrate, seed demo data, serve http://127.0.0.1:8000
    zhifa serve                     production: migrate, collect static files, run gunicorn
    zhifa workdays add 2026-02-12 7 working-day arithmetic
    zhifa staffing                  reviewer staffing check per agency
    zhifa help                      every command
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "zhifa"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

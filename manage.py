#!/usr/bin/env python
import os
import sys


def main() -> None:
    # Empty means unset, as for every variable (.env.example lists it empty).
    if not os.environ.get("DJANGO_SETTINGS_MODULE", "").strip():
        os.environ["DJANGO_SETTINGS_MODULE"] = "violetvibes.settings.local"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

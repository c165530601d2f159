"""Print the Markdown table of the service's settings, for README.md's "Settings" section.

PYTHONPATH=. python scripts/settings_table.py
"""

from __future__ import annotations

from gateway.settings import settings_table

if __name__ == "__main__":
    print(settings_table(), end="")

"""``python -m warlog.cli``: the ``warlog`` command, every command registered."""

from warlog.cli import main

main()

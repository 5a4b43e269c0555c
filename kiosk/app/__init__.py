"""Entrypoints and the one composition root: the ``kiosk`` command, the text counter, the
Qt app's assembly and demo seeding. The only code that imports across ``ui/``, ``sync/``
and ``devices/``; nothing imports it (the layer contracts in pyproject.toml say so)."""

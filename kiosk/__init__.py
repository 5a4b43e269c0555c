"""Counterpoint kiosk: the pure loyalty core, the local store, services and the CLI.

Nothing under this package imports Qt; widgets live in ``ui/``.
"""

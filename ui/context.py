"""What every screen is handed: the kiosk's services, the task runner and the language.
Screens never open the store or the network themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devices.receipt import Receipt
from kiosk.engine.doc import Names
from kiosk.services import Kiosk
from ui.i18n import Languages
from ui.tasks import Tasks


@dataclass(frozen=True)
class Product:
    """A catalogue item a barcode scan can put in the basket."""

    code: str
    names: Names
    price_minor: int
    category: str | None = None  # what the program's rules name


@dataclass
class ScreenContext:
    kiosk: Kiosk
    tasks: Tasks
    languages: Languages
    find_product: Callable[[str], Product | None] = lambda _code: None
    print_receipt: Callable[[Receipt], None] | None = None
    """Prints on the configured printer (blocking: call it on a worker); None when the
    kiosk has no printer."""
    ledger_url: str | None = None  # the paired ledger's address; None when standalone
    cards_dir: Path | None = None  # where a new member's card is saved with no printer
    home_language: str = "en"  # the store's: the counter returns to it when left alone
    move_ledger: Callable[[str], str] | None = None
    """Checks and saves the ledger's new address, returning it (blocking: on a worker)."""

    def name(self, names: Names) -> str:
        return names.get(self.languages.current)

    def money(self, minor: int) -> str:
        from kiosk.money import to_major

        program = self.kiosk.program
        symbol = {"TWD": "NT$", "HKD": "HK$", "CNY": "¥", "USD": "$"}.get(program.currency,
                                                                          program.currency + " ")
        return f"{symbol}{to_major(minor, program.minor_units):,.{program.minor_units}f}"

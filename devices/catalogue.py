"""The product catalogue the sale screen looks scanned barcodes up in (the demo one is
``assets/catalogue.toml``): products with an EAN-13, a Code 128 shop code, a name in
each language, a price in integer minor units and a category for the program's rules.

Pure data and a loader; no Qt, no printing. A catalogue with a mistake (a wrong check
digit, two products with one code, a missing English name) is refused with a message
naming the product and the field, because a typo here would ring up the wrong goods.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_CATALOGUE = Path(__file__).resolve().parent.parent / "assets" / "catalogue.toml"
CATALOGUE_FILE = "catalogue.toml"  # a store's own, in the kiosk's data folder


def ean13_check_digit(first12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


class Product(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$")
    ean13: str = Field(pattern=r"^[0-9]{13}$")
    price: int = Field(ge=0)  # minor units of the catalogue's currency
    name: dict[str, str]
    category: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    """What the program's earn rules, promotions and punch cards name ("tea", "gift_card")."""

    @field_validator("ean13")
    @classmethod
    def _check_digit(cls, ean13: str) -> str:
        expected = ean13_check_digit(ean13[:12])
        if ean13[12] != expected:
            raise ValueError(f"check digit of {ean13} should be {expected}")
        return ean13

    @field_validator("name")
    @classmethod
    def _english_name(cls, name: dict[str, str]) -> dict[str, str]:
        if not name.get("en", "").strip():
            raise ValueError("every product needs an English name (name.en)")
        return name

    def name_in(self, language: str) -> str:
        return self.name.get(language) or self.name["en"]


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: int = Field(alias="schema", ge=1, le=1)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    minor_units: int = Field(ge=0, le=3)
    products: tuple[Product, ...]

    @field_validator("products")
    @classmethod
    def _unique_codes(cls, products: tuple[Product, ...]) -> tuple[Product, ...]:
        seen: set[str] = set()
        for p in products:
            for code in (p.sku, p.ean13):
                if code in seen:
                    raise ValueError(f"{code} is on two products")
                seen.add(code)
        return products

    def find(self, code: str) -> Product | None:
        """The product a scan names: its EAN-13, the same as 12-digit UPC-A (which some
        scanners send for codes starting with 0), or its shop code; None if it isn't ours."""
        code = code.strip()
        if len(code) == 12 and code.isdigit():
            code = "0" + code
        return self.by_code.get(code)

    @cached_property
    def by_code(self) -> dict[str, Product]:
        """Every product under each of its codes (looked up on the UI thread, per scan)."""
        return {code: p for p in self.products for code in (p.ean13, p.sku)}


class CatalogueError(ValueError):
    """The catalogue file can't be used; the message names the product and field."""


def load_catalogue(path: Path = DEFAULT_CATALOGUE) -> Catalogue:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                        for part in first["loc"]).lstrip(".")
        message = first["msg"].removeprefix("Value error, ")
        raise CatalogueError(f"{path.name}: {field}: {message}") from exc


def catalogue_path(data_dir: Path, *, demo: bool) -> Path | None:
    """The store's own ``catalogue.toml`` in the kiosk's data folder, else (``demo``) the
    demo one; None if neither applies."""
    own = data_dir / CATALOGUE_FILE
    return own if own.exists() else DEFAULT_CATALOGUE if demo else None


def store_catalogue(data_dir: Path, *, demo: bool, currency: str,
                    minor_units: int) -> Catalogue | None:
    """The catalogue a kiosk looks scanned products up in (:func:`catalogue_path`); None
    turns product scans off. A catalogue priced in another currency than the program's
    is refused: its prices would be rung up as the wrong money."""
    path = catalogue_path(data_dir, demo=demo)
    if path is None:
        return None
    catalogue = load_catalogue(path)
    if (catalogue.currency, catalogue.minor_units) != (currency, minor_units):
        raise CatalogueError(
            f"{path.name}: prices are in {catalogue.currency} with {catalogue.minor_units} "
            f"decimals, but the loyalty program counts {currency} with {minor_units}")
    return catalogue

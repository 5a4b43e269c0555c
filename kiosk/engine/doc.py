"""Building blocks of the program document shared by its sections: frozen models that
refuse unknown fields, labels in three languages, money as exact decimals, ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

LANGUAGES = ("en", "zh-TW", "zh-CN")


class Doc(BaseModel):
    """A part of the program document: immutable, and a misspelt field is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Names(Doc):
    """A label in each language the counter speaks."""

    en: str = Field(min_length=1)
    zh_TW: str = Field(alias="zh-TW", min_length=1)
    zh_CN: str = Field(alias="zh-CN", min_length=1)

    def get(self, language: str) -> str:
        return {"en": self.en, "zh-TW": self.zh_TW, "zh-CN": self.zh_CN}.get(language, self.en)


Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
"""An amount in major units, written in the document as a decimal ("100", "12.50")."""
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
"""A product code or category as the catalogue spells it."""
Multiplier = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]


def to_minor(amount: Decimal, minor_units: int) -> int:
    """An exact amount in minor units (the document's amounts were checked to fit)."""
    return int(amount.scaleb(minor_units))


def check_unique_ids(label: str, ids: Sequence[str]) -> None:
    """Ids name things across the document (and on entries): one each per list."""
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{label}: duplicate id {dupes[0]!r}")


Section = TypeVar("Section", bound=Doc)


def parse_section(model: type[Section], name: str, raw: Mapping[str, Any]) -> Section:
    """One section of the document on its own; the ValueError names the field as the
    whole document does ("points.expiry.months: must be 1 to 120")."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ValueError("; ".join(
            ".".join([name, *map(str, err["loc"])]) + ": "
            + err["msg"].removeprefix("Value error, ") for err in exc.errors())) from None

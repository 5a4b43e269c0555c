"""The wire's constrained types and its base model, out of ``sync/protocol.py`` so that
each group of wire models (the kiosk's protocol, orders and refunds, holds, the shop) can
build on them without importing another.

What the ledger's database can't hold is refused here, by the rules in
``kiosk/limits.py`` that the counter also applies: text is :data:`Text` (no control
characters; :data:`Prose` may have tabs and line breaks), integers fit 64 bits
(:data:`Int64`), and times are :data:`UtcTime` (aware, and from 1970 to 2999, so that
converting them to UTC can't overflow). They are pydantic's own constraints, checked in
its Rust core: an upload's 500 entries are validated at the ledger's busiest call.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from pydantic_core import core_schema as cs

from kiosk.limits import CONTROL, CONTROL_BUT_LAYOUT, EARLIEST, INT64_MAX, INT64_MIN, LATEST
from kiosk.printable import code_pattern, shown_class


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


TEXT_PATTERN = f"^[^{CONTROL}]*$"
PROSE_PATTERN = f"^[^{CONTROL_BUT_LAYOUT}]*$"
UTC_TIME = "an aware time from 1970 to 2999, kept in UTC"

# The bounds are checked before the conversion (which would overflow near year 1 or 9999).
PreciseUtcTime = Annotated[AwareDatetime, Field(ge=EARLIEST, lt=LATEST, description=UTC_TIME),
                           AfterValidator(_utc)]
"""What :data:`UtcTime` accepts, with pydantic's own error for each way a time can be
wrong (naive, out of bounds, no time): ``sync.server.openapi`` names them so."""


class _UtcInJson:
    """:data:`UtcTime`'s validation. A time in JSON that is already UTC ("Z", as every
    kiosk sends them) is taken in pydantic's core alone, with a zero-offset zone of its
    own (``TzInfo``: as UTC in every use, but not ``datetime.UTC`` itself); any other
    offset is converted in Python. A Python ``datetime`` (the process's own objects, whose
    zone may be a ``ZoneInfo`` at offset 0, with its daylight saving) is always converted.
    A converter call for each of an upload's ~800 times was a tenth of the body's
    validation. A time that fails is one error, ``utc_time``; the API's 422 names the
    precise one (:data:`PreciseUtcTime`)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: GetCoreSchemaHandler
                                     ) -> CoreSchema:
        converted = handler(PreciseUtcTime)
        utc = cs.datetime_schema(tz_constraint=0, ge=EARLIEST, lt=LATEST)
        return cs.json_or_python_schema(
            json_schema=cs.union_schema([utc, converted], mode="left_to_right",
                                        custom_error_type="utc_time",
                                        custom_error_message=f"Input should be {UTC_TIME}"),
            python_schema=converted)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler
                                     ) -> JsonSchemaValue:
        return {"description": UTC_TIME, "format": "date-time", "type": "string"}


UtcTime = Annotated[datetime, _UtcInJson]
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]  # one line, no controls
Prose = Annotated[str, StringConstraints(pattern=PROSE_PATTERN)]  # may have line breaks
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Text64 = Annotated[Text, Field(min_length=1, max_length=64)]
CODE_PATTERN = code_pattern()
ProductCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN, min_length=1,
                                               max_length=64)]
"""A product code as NEW input (a shop's order or refund), taken exactly when the counter
takes one (``check_code`` in ``kiosk/services/errors.py``): 1 to 64 characters a receipt
shows (``kiosk.printable``, the table both read: no control character, and no invisible
one such as a zero-width space, a byte order mark or a space other than U+0020, which make
a code that looks like another), with no space at either end. A pattern of explicit
ranges, so pydantic's core checks it as it checks :data:`Text`. What a counter already
took (a kiosk's order, an order read back) is :data:`Text64`: a counter before this rule
took such codes, and nothing it took may be held back from the ledger."""

ORDER_REF_PATTERN = f"^(?:{shown_class()})(?: *{shown_class()})*$"
NewOrderRef = Annotated[str, StringConstraints(pattern=ORDER_REF_PATTERN, min_length=1,
                                               max_length=64)]
"""A NEW order's reference (a shop's order), held to the counter's rule for one
(``check_order_ref``): a product code's (:data:`ProductCode`), as the refund screen and the
receipt need it, so a zero-width space, a byte order mark, U+3000 or a space at either end
makes no order that looks like another and that nobody can name at a refund. The pattern
is :data:`CODE_PATTERN`'s, spelled apart (a group around its first class) only so that its
refusal says "an order reference". What names a stored order (a refund, a read-back, a
kiosk's upload) stays :data:`Text64`: the ledger took such references before."""

PATTERN_MEANS = {TEXT_PATTERN: "control characters (such as NUL) are not allowed here",
                 PROSE_PATTERN: "control characters other than tabs and line breaks are "
                                "not allowed here",
                 CODE_PATTERN: "a product code is 1 to 64 characters a receipt shows, with "
                               "no space at either end",
                 ORDER_REF_PATTERN: "an order reference is 1 to 64 characters a receipt "
                                    "shows, with no space at either end"}
"""What a refusal by each of the wire's patterns means, in plain words (the API's 422,
``sync.server.openapi``; the sync detail, ``sync.uploads``)."""



class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


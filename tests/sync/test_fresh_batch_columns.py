"""PostgreSQL's fast path sends a column that has one value in every entry of a batch
(a kiosk's channel, its program version, the tier, the cashier) as that value once, not
as an array: every field must still come back as it went up, whether the column has one
value throughout, several, or some nulls among them. (The program a batch's entries
name is one value throughout in each of them.)"""

from __future__ import annotations

from sync.protocol import UploadRequest
from sync.server.ledger import Ledger
from tests.helpers.ledger_wire import KIOSK, members, sale


def test_columns_with_one_value_several_or_some_nulls_come_back_as_uploaded(
        ledger: Ledger) -> None:
    first, second = members(2)
    batches = [
        [sale(first, 1, tier="bronze", staff="Ann"), sale(second, 2, tier="bronze",
                                                          staff="Ann")],  # one value each
        [sale(first, 3, tier=None, staff="Ann"), sale(second, 4, tier="bronze",
                                                      staff="Bo")],  # two values each
        [sale(first, 5, staff="Bo"), sale(second, 6, staff=None)],  # no tier at all
        [sale(first, 7), sale(second, 8)],  # nobody named
    ]
    for i, batch in enumerate(batches):
        answer = ledger.upload(KIOSK, UploadRequest(members=[first, second] if i == 0 else [],
                                                    entries=batch))
        assert {r.status for r in answer.results} == {"accepted"}, answer.results
    sent = [e for batch in batches for e in batch]
    pulled = ledger.pull(0, 100).entries
    assert [e.model_dump(exclude={"seq", "device_seq"}) for e in pulled] == [
        e.model_dump(exclude={"seq", "device_seq"}) for e in sent]
    assert [e.staff for e in pulled] == ["Ann", "Ann", "Ann", "Bo", "Bo", None, None, None]

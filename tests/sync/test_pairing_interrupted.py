"""`kiosk init --ledger-url` may be run again after it was cut off. The ledger certifies
the kiosk's key (POST /v1/pair) before the kiosk reads its state; a blip in between (the
state call timing out, the kiosk restarted) lost the key the ledger had certified, and
every retry with the same token was refused 409 already_paired: the token was burnt, a
person had to make a new device (found at review 28a). The key is now kept before it is
sent, and a retry with the same token sends it again (the ledger answers the same
certificate for the same key)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync import pairing
from sync.client import LedgerClient, LedgerUnavailable
from sync.protocol import DeviceState, PairResponse
from tests.helpers.ledger_process import LedgerProcess


class BlipAfterPair(LedgerClient):
    def state(self) -> DeviceState:
        raise LedgerUnavailable("ledger not reachable: ReadTimeout")


class BlipBeforeAnswer(LedgerClient):
    """The ledger certified the key, but its answer was lost on the way."""

    def pair(self, public_key: str, store_name: str | None = None) -> PairResponse:
        super().pair(public_key, store_name)
        raise LedgerUnavailable("ledger not reachable: ReadTimeout")


@pytest.mark.parametrize("blip", [BlipAfterPair, BlipBeforeAnswer])
def test_kiosk_init_can_be_run_again_after_a_blip(
        sqlite_ledger: LedgerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        blip: type[LedgerClient]) -> None:
    token = sqlite_ledger.add_device("till-1")
    monkeypatch.setattr(pairing, "LedgerClient", blip)
    with pytest.raises(LedgerUnavailable):
        pairing.pair_kiosk(tmp_path / "till-1", ledger_url=sqlite_ledger.url, token=token,
                           store_name="Store 1")
    monkeypatch.setattr(pairing, "LedgerClient", LedgerClient)
    kiosk = pairing.pair_kiosk(tmp_path / "till-1", ledger_url=sqlite_ledger.url,
                               token=token, store_name="Store 1")  # the operator retries
    try:
        assert kiosk.device.device_id == "till-1"
        assert kiosk.certificate.public_key == kiosk.key.public_bytes()
        with kiosk.store.read() as tx:
            assert not tx.settings.get(pairing.PAIRING_KEY)  # kept in the device row only
    finally:
        kiosk.store.close()


def test_a_key_kept_for_another_token_is_not_sent(
        sqlite_ledger: LedgerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """The operator gave up on the first device and made another: its token gets a key
    of its own (two devices never share a card-signing key)."""
    first = sqlite_ledger.add_device("till-2")
    monkeypatch.setattr(pairing, "LedgerClient", BlipAfterPair)
    with pytest.raises(LedgerUnavailable):
        pairing.pair_kiosk(tmp_path / "till", ledger_url=sqlite_ledger.url, token=first,
                           store_name="Store 1")
    monkeypatch.setattr(pairing, "LedgerClient", LedgerClient)
    second = sqlite_ledger.add_device("till-3")
    kiosk = pairing.pair_kiosk(tmp_path / "till", ledger_url=sqlite_ledger.url,
                               token=second, store_name="Store 1")
    try:
        assert kiosk.device.device_id == "till-3"
        assert len({c.public_key for c in kiosk.trust.certificates.values()}) == len(
            kiosk.trust.certificates)
    finally:
        kiosk.store.close()

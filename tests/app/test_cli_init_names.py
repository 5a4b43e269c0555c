"""`kiosk init` took any store name and device id, though both end up where the rest of
the counter's text rules apply (the receipt's ESC/POS stream, every entry's channel, the
receipt's order QR): a store owner's pasted name with an escape code cut the paper under
every receipt's header, a long device id made the kiosk's own receipts scan as "order QR:
damaged". Now refused before anything is made (found at review 27)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.helpers.cli import KIOSK

CASES = {
    # ESC i: "cut the paper" to an ESC/POS printer; every receipt starts with the name.
    "store name with ESC": ["--store-name", "Tea House\x1bi"],
    "store name past the wire's 200": ["--store-name", "s" * 300],
    # every entry's channel; the wire's and the order QR's limit is 64
    "device id past 64": ["--device-id", "till-" + "d" * 80],
    "device id with ESC": ["--device-id", "till\x1b[2J"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_init_refuses_names_the_rest_of_the_counter_refuses(tmp_path, case):
    """A store owner setting up the kiosk pastes a store name with an escape code (every
    receipt then sends it raw to the ESC/POS printer, which acts on it: ESC i cuts the
    paper under the header) or a long device id (every entry's channel: longer than the
    64 characters the ledger's wire and the receipt's order QR take, so this kiosk's own
    receipts scan as "order QR: damaged" at its refund tab). `kiosk init` takes them all
    and says "set up" instead of refusing, as `member enroll` or `sale --order-ref` would."""
    proc = subprocess.run([KIOSK, "--data-dir", str(tmp_path / "k"), "init",
                           *CASES[case], "--json"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1, proc.stdout[:300]
    assert "error" in json.loads(proc.stdout)
    assert not (tmp_path / "k" / "kiosk.db").exists()

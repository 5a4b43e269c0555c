"""What kiosks cache besides entries reaches them by sync: revocations and new programs.
And the shop, played from the command line."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import pytest

from kiosk.cards import RevokedCard
from kiosk.program import parse_program
from kiosk.services import Enrolment, Sale, enrol, identify, ring_up_sale, verify_store
from sync.agent import SyncAgent
from sync.client import LedgerClient
from sync.protocol import UploadRequest, UploadResponse
from sync.server.db import ledger_engine
from sync.server.ledger import Ledger
from tests.helpers.cli import KIOSK, kiosk_json
from tests.helpers.ledger_process import paired, start_ledger
from tests.helpers.program import PLAIN_PROGRAM


def test_a_card_revoked_at_the_ledger_is_refused_at_every_kiosk_after_sync(sqlite_ledger,
                                                                           tmp_path):
    k1 = paired(sqlite_ledger, tmp_path, "till-1")
    k2 = paired(sqlite_ledger, tmp_path, "till-2")
    member = enrol(k1.kiosk, Enrolment("Lost Card", "0912000333", consent=True))
    k1.agent().sync_once()
    k2.agent().sync_once()
    assert identify(k2.kiosk, member.card.payload).member.name == "Lost Card"
    sqlite_ledger.cli("revoke-card", member.card.card_no)
    for k in (k1, k2):
        k.agent().sync_once()
        with pytest.raises(RevokedCard):
            identify(k.kiosk, member.card.payload)


def test_a_new_program_version_reaches_the_kiosk_and_marks_new_entries(sqlite_ledger,
                                                                       tmp_path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("A", "0912000444", consent=True)).member.id
    assert ring_up_sale(k.kiosk, Sale(member, 1000)).entries[0].program_version == "2026.2"
    text = PLAIN_PROGRAM.read_text().replace('version = "2026.2"', 'version = "2026.3"')
    text = text.replace("points = 1\nper = 100", "points = 2\nper = 100")  # double points
    engine = ledger_engine(sqlite_ledger.db)
    Ledger(engine, lambda: datetime.now(UTC)).publish_program(parse_program(text))
    engine.dispose()
    k.agent().sync_once()
    assert k.kiosk.program.version == "2026.3"
    sale = ring_up_sale(k.kiosk, Sale(member, 1000))
    assert (sale.points, sale.entries[0].program_version) == (20, "2026.3")


def shop(ledger, token: str, *args: str, expect: int = 0) -> dict[str, object]:
    proc = subprocess.run([KIOSK, "shop", *args, "--ledger-url", ledger.url, "--token", token,
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == expect, proc.stdout + proc.stderr
    return dict(json.loads(proc.stdout))


def test_the_shop_command_awards_redeems_refunds_and_looks_up(sqlite_ledger, tmp_path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = enrol(k.kiosk, Enrolment("Online", "0912000555", consent=True)).member.id
    k.agent().sync_once()
    token = sqlite_ledger.add_device("web", "shop")
    order = shop(sqlite_ledger, token, "order", "--member", str(member), "--amount", "5000",
                 "--order-ref", "W-1")
    assert (order["points"], order["balance"]) == (50, 100)
    redeemed = shop(sqlite_ledger, token, "redeem", "--member", str(member),
                    "--reward", "nt100-off")
    assert (redeemed["balance"], redeemed["authorised"]) == (0, "online")
    refused = shop(sqlite_ledger, token, "redeem", "--member", str(member), "--reward",
                   "coffee", expect=1)
    assert refused["error"]["code"] == "not_enough_points"  # type: ignore[index]
    refund = shop(sqlite_ledger, token, "refund", "--order-ref", "W-1")
    assert refund["balance"] == -50  # the reward was already spent: a visible debt
    history = shop(sqlite_ledger, token, "member", "--member", str(member))
    assert [e["kind"] for e in history["entries"]] == [  # type: ignore[union-attr]
        "reverse", "redeem", "earn", "bonus"]
    wrong = shop(sqlite_ledger, "not-the-token", "member", "--member", str(member), expect=1)
    assert wrong["error"]["code"] == "unauthorised"  # type: ignore[index]


def test_bad_shop_arguments_are_one_line_refusals_and_send_nothing(sqlite_ledger, tmp_path):
    k = paired(sqlite_ledger, tmp_path, "till-1")
    member = str(enrol(k.kiosk, Enrolment("Online", "0912000777", consent=True)).member.id)
    k.agent().sync_once()
    token = sqlite_ledger.add_device("web", "shop")
    for args in (("member", "--member", "not-a-uuid"),
                 ("order", "--member", "not-a-uuid", "--amount", "5000", "--order-ref", "W-9"),
                 ("redeem", "--member", "not-a-uuid", "--reward", "coffee")):
        err = shop(sqlite_ledger, token, *args, expect=1)["error"]
        assert err["code"] == "invalid_input"  # type: ignore[index]
        assert "'not-a-uuid' is not a member id" in err["message"]  # type: ignore[index]
        as_text = subprocess.run([KIOSK, "shop", *args, "--ledger-url", sqlite_ledger.url,
                                  "--token", token], capture_output=True, text=True,
                                 timeout=60)
        assert as_text.returncode == 1 and as_text.stdout == ""
        assert as_text.stderr.startswith("error: ") and as_text.stderr.count("\n") == 1
    err = shop(sqlite_ledger, token, "order", "--member", member, "--amount", "fifty",
               "--order-ref", "W-9", expect=1)["error"]
    assert err["code"] == "invalid_amount"  # type: ignore[index]
    err = shop(sqlite_ledger, token, "redeem", "--member", member, "--reward", "coffee",
               "--channel", "", expect=1)["error"]
    assert err["code"] == "invalid_input"  # type: ignore[index]
    assert err["message"].startswith("--channel: ")  # type: ignore[index]
    nowhere = subprocess.run([KIOSK, "shop", "member", "--member", member, "--ledger-url",
                              "ledger.example.com", "--token", token, "--json"],
                             capture_output=True, text=True, timeout=60)
    assert nowhere.returncode == 1, nowhere.stdout + nowhere.stderr
    assert json.loads(nowhere.stdout)["error"]["code"] == "invalid_input"
    # Nothing reached the ledger: the order number is still free, the balance unchanged.
    order = shop(sqlite_ledger, token, "order", "--member", member, "--amount", "5000",
                 "--order-ref", "W-9")
    assert (order["points"], order["balance"], order["duplicate"]) == (50, 100, False)
    assert shop(sqlite_ledger, token, "member", "--member", member)["balance"] == 100


class RecordingClient(LedgerClient):
    """The real client, keeping every upload request it sent."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(url, token, timeout=(2.0, 10.0))
        self.sent: list[UploadRequest] = []

    def upload(self, request: UploadRequest) -> UploadResponse:
        self.sent.append(request)
        return super().upload(request)


def test_uploads_carry_a_member_and_card_once_and_pulls_skip_our_own_entries(sqlite_ledger,
                                                                            tmp_path):
    k1 = paired(sqlite_ledger, tmp_path, "till-1")
    k2 = paired(sqlite_ledger, tmp_path, "till-2")
    client = RecordingClient(k1.url, k1.token)
    agent = SyncAgent(k1.kiosk, client)
    member = enrol(k1.kiosk, Enrolment("Once", "0912000555", consent=True))
    ring_up_sale(k1.kiosk, Sale(member.member.id, 1000))
    first = agent.sync_once()
    assert [w.id for w in client.sent[0].members] == [member.member.id]
    assert [w.card_no for w in client.sent[0].cards] == [member.card.card_no]
    assert first.pulled == 0, "our own entries came back"

    ring_up_sale(k1.kiosk, Sale(member.member.id, 2000))
    agent.sync_once()
    assert (client.sent[-1].members, client.sent[-1].cards) == ([], [])
    assert len(client.sent[-1].entries) == 1

    # Another store knows the member and card, and its sale reaches the first store.
    k2.agent().sync_once()
    assert identify(k2.kiosk, member.card.payload).member.name == "Once"
    ring_up_sale(k2.kiosk, Sale(member.member.id, 3000))
    k2.agent().sync_once()
    assert agent.sync_once().pulled == 1
    for k in (k1, k2):
        with k.kiosk.store.read() as tx:
            entries = tx.entries.of_member(member.member.id)
            assert len(entries) == 4  # sign-up bonus and three sales
            assert tx.entries.balance(member.member.id) == sum(e.points for e in entries)
        assert verify_store(k.kiosk).ok
    client.close()


def test_a_kiosk_follows_its_ledger_to_a_new_address_but_not_to_another(sqlite_ledger,
                                                                        tmp_path):
    kiosk = paired(sqlite_ledger, tmp_path, "till-1")
    kiosk.kiosk.store.close()
    folder = kiosk.data_dir
    assert kiosk_json(folder, "move-ledger", "ledger.example", expect=1) == {"error": {
        "code": "invalid_input", "message": "a ledger address looks like "
        "https://ledger.example.com:8470, not 'ledger.example'"}}
    answer = kiosk_json(folder, "move-ledger", "http://127.0.0.1:1", expect=4)
    assert answer["error"]["code"] == "offline"
    # a second ledger: this kiosk's token means nothing there
    other = start_ledger(f"sqlite:///{tmp_path / 'other' / 'ledger.db'}", tmp_path / "other")
    try:
        answer = kiosk_json(folder, "move-ledger", other.url, expect=1)
        assert answer["error"]["code"] == "unauthorised"
    finally:
        other.kill()
    moved = sqlite_ledger.url.replace("127.0.0.1", "localhost")
    assert kiosk_json(folder, "move-ledger", moved + "/") == {"ledger_url": moved}
    kiosk_json(folder, "member", "enroll", "--name", "Lee", "--phone", "0911222333",
               "--consent")
    synced = kiosk_json(folder, "sync", "--once")
    assert synced["uploaded"] == 1 and synced["pending_uploads"] == 0

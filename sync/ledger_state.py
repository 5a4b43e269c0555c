"""The ledger's state as a kiosk installs it: the program in force and those announced to
take effect later, the card-signing certificates and revocations, and the ledger's clock,
read at pairing and at every round."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from kiosk.cards import DeviceCertificate, key_from_text
from kiosk.program import ProgramError, parse_program
from kiosk.records import ANNOUNCED_PROGRAMS, PROGRAM_VERSION
from kiosk.services.context import LEDGER_TIME
from kiosk.services.ports import UnitOfWork
from sync.client import LedgerClient
from sync.protocol import AnnouncedProgram, DeviceState


def read_state(client: LedgerClient, device_clock: Callable[[], datetime]
               ) -> tuple[DeviceState, timedelta | None]:
    """The ledger's state, and how far its clock is ahead of ``device_clock`` (taken as
    read halfway through the request; None from a ledger that doesn't say)."""
    asked = device_clock()
    state = client.state()
    answered = device_clock()
    if state.ledger_time is None:
        return state, None
    return state, state.ledger_time - (asked + (answered - asked) / 2)


def apply_state(tx: UnitOfWork, state: DeviceState, now: datetime,
                ledger_time: str | None = None) -> list[str]:
    """Install the ledger's program in force and those announced, certificates and
    revocations locally, and the ledger's clock as read (``LedgerClock.correct``), which
    dates the kiosk's entries. Returns what this kiosk couldn't read and left out.

    A program in force it can't read (published by a newer ledger) leaves the version it
    has in force, and a certificate it can't read is left out (its cards are refused
    here), so the round goes on to upload and pull: one unreadable document must not keep
    the counter's sales from the ledger. With no version in force yet (pairing), the
    ProgramError stands: there is nothing to keep."""
    problems = []
    if ledger_time is not None:
        tx.settings.set(LEDGER_TIME, ledger_time)
    in_force = tx.settings.get(PROGRAM_VERSION)
    try:
        program = parse_program(state.program, format="json")
    except ProgramError as exc:
        if in_force is None:
            raise
        problems.append(f"the ledger's program {state.program_version} can't be read by "
                        f"this kiosk ({exc}); {in_force} stays in force here: upgrade "
                        "this kiosk")
    else:
        if in_force != program.version:
            tx.settings.install_program(program.version, state.program, now)
    announced = json.dumps(_kept(tx, state.announced, now))
    if tx.settings.get(ANNOUNCED_PROGRAMS) != announced:
        tx.settings.set(ANNOUNCED_PROGRAMS, announced)
    revoked = set(state.revoked_keys)
    for document in state.certificates:
        try:
            cert = DeviceCertificate.from_dict(document)
        except ValueError as exc:
            problems.append(f"a card-signing certificate from the ledger can't be read by "
                            f"this kiosk ({exc}); cards it signed are refused here")
            continue
        tx.trust.upsert_certificate(cert.key_id, json.dumps(cert.to_dict()), cert.key_id in revoked)
    for card_no in state.revoked_cards:
        tx.trust.revoke_card(card_no, now)
    return problems


def _kept(tx: UnitOfWork, announced: list[AnnouncedProgram], now: datetime
          ) -> list[tuple[str, str]]:
    """The announced versions as the kiosk keeps them, each document checked once: one
    it can't read (a field newer than this kiosk) is left out, and the version in force
    stays in force past its time (upgrade the kiosks before publishing new fields)."""
    out = []
    for a in announced:
        if tx.settings.program_document(a.version) is None:
            try:
                parse_program(a.program, format="json")
            except ProgramError:
                continue
            tx.settings.keep_program(a.version, a.program, now)
        out.append((a.version, a.effective_from.isoformat()))
    return out


def root_key(state: DeviceState) -> bytes:
    return key_from_text(state.root_public_key)

"""What every service needs, built once by :func:`kiosk.app.bootstrap.bootstrap`: the store, the
cached programs and trust store, this device's identity, a clock and an id factory."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cards import DeviceCertificate, DeviceKey, TrustStore
from kiosk.ids import IdFactory
from kiosk.limits import EARLIEST
from kiosk.program import Program, parse_program
from kiosk.program_versions import Timetable
from kiosk.records import ANNOUNCED_PROGRAMS, PROGRAM_VERSION, DeviceRecord, StorageError
from kiosk.services.errors import NotInitialised
from kiosk.services.ports import Store, UnitOfWork
from kiosk.staff import StaffMember

if TYPE_CHECKING:
    from kiosk.services.redemption import Authoriser

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


LEDGER_TIME = "ledger_time"  # setting: the ledger's clock as last read, and when (see below)


class DamagedSetting(StorageError):
    """A setting sync keeps that doesn't decode (a flipped sector, a hand edit): a storage
    error, reads included, said as kiosk.store's DamagedValue says a damaged row (the use
    cases reach the store only through its ports), not a ValueError at every command."""

    def __init__(self, key: str, problem: object) -> None:
        super().__init__(
            f"the kiosk's database is damaged (setting {key}: {problem}): nothing was "
            "recorded; keep the data folder (entries not yet synced are only in it) and "
            "restore it from a backup, or set the kiosk up again in a new one")


def _steady() -> float:
    """Seconds on a clock nobody sets, counting suspended time too where it can."""
    return time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") \
        else time.monotonic()


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""  # no way to tell one boot from the next: nothing carries over


class LedgerClock:
    """The time a kiosk dates its entries with: the ledger's clock as read at the last
    sync, moved on by a clock nobody sets (the machine's time since boot).

    A counter whose clock was set two years ahead or behind dated its sales there, which
    steered tiers, daily limits and the ledger's checks everywhere. Once it has synced,
    its entries carry the ledger's time whatever its own clock says or is set to after
    (NTP stepping it right after the sync made an offset stale, and the next sales went
    up dated in the ledger's future). The reading holds across restarts of the app within
    one boot; after a reboot the device's own clock serves until the first sync. The sync
    status shows the skew, so someone sets the clock right."""

    def __init__(self, device: Clock = utc_now, steady: Callable[[], float] = _steady
                 ) -> None:
        self.device, self.steady = device, steady
        self.offset = timedelta(0)  # the ledger's clock minus the device's, last measured
        self._anchor: tuple[datetime, float] | None = None  # (ledger time, steady) then

    def __call__(self) -> datetime:
        if self._anchor is None:
            return self.device()
        ledger_then, steady_then = self._anchor
        return ledger_then + timedelta(seconds=self.steady() - steady_then)

    def correct(self, skew: timedelta) -> str:
        """The ledger's clock reads ``skew`` ahead of the device's now; returns the
        reading as kept in the store (:meth:`restore` takes it back in this boot)."""
        self.offset = skew
        self._anchor = (self.device() + skew, self.steady())
        ledger_then, steady_then = self._anchor
        return f"{ledger_then.isoformat()}|{steady_then!r}|{_boot_id()}"

    def restore(self, kept: str | None) -> None:
        """Take back a reading :meth:`correct` kept, if taken in this boot; one that
        doesn't decode is a :class:`DamagedSetting`."""
        if not kept:
            return
        try:
            ledger_then, steady_then, boot = kept.split("|", 2)
            if not boot or boot != _boot_id():
                return
            anchor = (datetime.fromisoformat(ledger_then), float(steady_then))
            # A time without its zone, NaN or out of range fails here, not at a sale.
            offset = anchor[0] - self.device() + timedelta(seconds=self.steady() - anchor[1])
        except (ValueError, TypeError, OverflowError) as exc:
            raise DamagedSetting(LEDGER_TIME, exc) from None
        self._anchor, self.offset = anchor, offset


@dataclass
class Kiosk:
    store: Store
    device: DeviceRecord
    key: DeviceKey
    certificate: DeviceCertificate
    programs: Timetable[Program]  # the version in force at the last sync, then announced
    trust: TrustStore
    clock: LedgerClock
    new_id: IdFactory
    authoriser: Authoriser | None = None  # set when paired with a ledger
    on_duty: StaffMember | None = None  # who signed in at the counter (services/staff.py)
    parsed: dict[str, Program] = field(default_factory=dict, repr=False)  # by version

    @property
    def program(self) -> Program:
        """The version in force now: the kiosk switches to an announced one at its time,
        offline too (DESIGN, the program engine, 8). A bisection on the clock when a
        version is announced; nothing at all otherwise."""
        return self.programs.at(self.clock)

    @program.setter
    def program(self, program: Program) -> None:
        self.programs = Timetable.of([(EARLIEST, program)])

    @property
    def channel(self) -> str:
        return self.device.channel

    @property
    def staff_name(self) -> str | None:
        """The name every entry made now carries."""
        return None if self.on_duty is None else self.on_duty.name

    def reload(self) -> None:
        """Re-read what sync may change underneath: the program and the trust store."""
        with self.store.read() as tx:
            self.programs, self.trust = load_programs_and_trust(tx, self.parsed)

    @classmethod
    def open(cls, store: Store, clock: Clock, new_id: IdFactory) -> Kiosk:
        with store.read() as tx:
            device = tx.devices.get()
            if device is None:
                raise NotInitialised("this kiosk is not set up yet: run `kiosk init` first")
            parsed: dict[str, Program] = {}
            programs, trust = load_programs_and_trust(tx, parsed)
            kept = tx.settings.get(LEDGER_TIME)
        certificate = DeviceCertificate.from_dict(json.loads(device.certificate))
        ledger_clock = LedgerClock(clock)
        ledger_clock.restore(kept)
        return cls(store, device, DeviceKey.from_bytes(device.signing_key), certificate,
                   programs, trust, ledger_clock, new_id, parsed=parsed)


def load_programs_and_trust(tx: UnitOfWork, parsed: dict[str, Program]
                            ) -> tuple[Timetable[Program], TrustStore]:
    """The programs and the trust store as synced; each version parsed once (``parsed``,
    by version: a document never changes)."""
    device = tx.devices.get()
    current = tx.settings.get(PROGRAM_VERSION)
    if device is None or current is None:
        raise NotInitialised("this kiosk is not set up yet: run `kiosk init` first")
    announced = _announced(tx.settings.get(ANNOUNCED_PROGRAMS))
    programs = Timetable.of(
        (at, _parsed(tx, version, parsed)) for at, version in [(EARLIEST, current), *announced])
    certificates = [(DeviceCertificate.from_dict(json.loads(doc)), revoked)
                    for doc, revoked in tx.trust.certificates()]
    trust = TrustStore(
        root_public_key=device.root_public_key,
        certificates={c.key_id: c for c, _ in certificates},
        revoked_cards=tx.trust.revoked_cards(),
        revoked_keys=frozenset(c.key_id for c, revoked in certificates if revoked),
    )
    return programs, trust


def _announced(kept: str | None) -> list[tuple[datetime, str]]:
    """The announced versions as kept (``[[version, effective_from], ...]``), each with
    its time; a value that doesn't decode is a :class:`DamagedSetting`."""
    try:
        out = [(datetime.fromisoformat(at), version) for version, at in json.loads(kept or "[]")]
        for at, version in out:
            if at.utcoffset() is None or not isinstance(version, str):
                raise ValueError(f"{version!r} at {at} is not a version at a time with its zone")
    except (ValueError, TypeError) as exc:
        raise DamagedSetting(ANNOUNCED_PROGRAMS, exc) from None
    return out


def _parsed(tx: UnitOfWork, version: str, parsed: dict[str, Program]) -> Program:
    program = parsed.get(version)
    if program is None:
        document = tx.settings.program_document(version)
        if document is None:
            raise NotInitialised("this kiosk is not set up yet: run `kiosk init` first")
        program = parsed[version] = parse_program(document, format="json")
    return program

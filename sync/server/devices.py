"""The ledger's register of devices and the trust it hands out: each device's token (only
its hash is kept), a kiosk's card-number prefix and its paired card-signing key, and
revocations of devices and cards. Kept apart from ingest because every request passes
through :meth:`Devices.authenticate` first, and a kiosk's cached trust (:meth:`state`) is
built from what is registered here.

Pairing certifies a kiosk's key once, for its prefix: a second pairing with another key is
refused, so a leaked token can't re-key a kiosk (DESIGN, Member cards).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from kiosk.cards import DeviceCertificate, DeviceKey, certify_device, key_to_text
from kiosk.services.context import Clock
from sync.protocol import AnnouncedProgram, DeviceState
from sync.server import models as m
from sync.server.bulk import insert_ignore, pg_cursor
from sync.server.calls import Caller, LedgerRefusal
from sync.server.db import one_statement
from sync.server.programs import Programs

FIRST_CARD_PREFIX = 2000  # kiosks set up without a ledger issue under 1000
SHOP_CARD_PREFIX = "1999"
"""The numbers of the cards the ledger issues for the shop (a lost card replaced online):
below every paired kiosk's prefix (2000 up; 19990 would be the 17,991st kiosk's) and apart
from a standalone kiosk's default 1000, whose cards trust a root of their own anyway."""
SHOP_ISSUER = "shop-issuer"
"""The device its certificate names: the ledger's own issuer, so no device may take it."""
DEVICE_KINDS = ("kiosk", "shop", "admin")
# Tokens start with a letter: a urlsafe token starting with "-" reads as an option to
# argparse (`kiosk shop ... --token -mHi...` failed), and the prefix says what a leaked
# string is.
TOKEN_PREFIX = "cpt_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Devices:
    def __init__(self, engine: Engine, clock: Clock, programs: Programs) -> None:
        self.engine = engine
        self.clock = clock
        self.programs = programs

    def create_keys(self, conn: Connection) -> None:
        """Create the root and shop-issuer keys in the caller's transaction, once, and the
        issuer's certificate (a ledger made before the shop replaced cards gets it here, at
        its next start, so kiosks have it before the first such card)."""
        if conn.execute(select(m.LedgerKey.id)).first() is None:
            conn.execute(insert(m.LedgerKey).values(
                id=1, root_private=DeviceKey.generate().to_bytes(),
                issuer_private=DeviceKey.generate().to_bytes()))
        self.issuer(conn)

    def issuer(self, conn: Connection) -> tuple[DeviceKey, DeviceCertificate, bool]:
        """The shop issuer's key, its certificate from the root for :data:`SHOP_CARD_PREFIX`
        (made in the caller's transaction if the ledger has none yet, so it travels in
        :meth:`state` like a kiosk's) and whether it was revoked."""
        root, private = conn.execute(select(m.LedgerKey.root_private,
                                            m.LedgerKey.issuer_private)).one()
        key = DeviceKey.from_bytes(private)
        mine = select(m.Certificate.document, m.Certificate.revoked).where(
            m.Certificate.key_id == key.key_id)
        row = conn.execute(mine).first()
        if row is None:
            cert = certify_device(DeviceKey.from_bytes(root), key.public_bytes(),
                                  device_id=SHOP_ISSUER, card_prefix=SHOP_CARD_PREFIX,
                                  issued_at=self.clock())
            insert_ignore(conn, m.Certificate.__table__, [{
                "key_id": cert.key_id, "device_id": SHOP_ISSUER,
                "document": json.dumps(cert.to_dict()), "revoked": False}])
            row = conn.execute(mine).one()  # the one kept, if a twin wrote first
        return key, DeviceCertificate.from_dict(json.loads(row.document)), bool(row.revoked)

    def add_device(self, device_id: str, kind: str = "kiosk", store: str | None = None
                   ) -> tuple[str, str]:
        """Register a device; returns its id and a token shown this once (only its hash is
        kept). Kiosks get the next free card-number prefix."""
        if kind not in DEVICE_KINDS:
            raise LedgerRefusal(422, "invalid_kind", f"a device is one of {DEVICE_KINDS}")
        if device_id == SHOP_ISSUER:
            raise LedgerRefusal(409, "device_exists",
                                f"{SHOP_ISSUER!r} is the ledger's own card issuer")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            if conn.execute(select(m.Device.id).where(m.Device.id == device_id)).first():
                raise LedgerRefusal(409, "device_exists", f"device {device_id!r} exists")
            prefix = None
            if kind == "kiosk":
                taken = conn.execute(select(func.count()).select_from(m.Device)
                                     .where(m.Device.card_prefix.is_not(None))).scalar_one()
                prefix = str(FIRST_CARD_PREFIX + taken)
            conn.execute(insert(m.Device).values(
                id=device_id, kind=kind, token_hash=hash_token(token), card_prefix=prefix,
                store_name=store,
                created_at=self.clock(), acked_through=0))
        return device_id, token

    def authenticate(self, token: str) -> Caller | None:
        """The device whose token this is, unless revoked. Every call but the health check
        asks, so on PostgreSQL the read goes on the driver's cursor: through SQLAlchemy it
        cost 0.22 ms against 0.07 ms (measured)."""
        row: Any
        with one_statement(self.engine) as conn:
            if conn.dialect.name == "postgresql":
                with pg_cursor(conn, named=False) as cur:
                    cur.execute("SELECT id, kind, revoked_at FROM devices "
                                "WHERE token_hash = %(h)s", {"h": hash_token(token)})
                    row = cur.fetchone()
            else:
                row = conn.execute(select(m.Device.id, m.Device.kind, m.Device.revoked_at)
                                   .where(m.Device.token_hash == hash_token(token))).first()
        if row is None or row[2] is not None:
            return None
        return Caller(row[0], row[1])

    def revoke_device(self, device_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(m.Device).where(m.Device.id == device_id)
                         .values(revoked_at=self.clock()))
            conn.execute(update(m.Certificate).where(m.Certificate.device_id == device_id)
                         .values(revoked=True))

    def pair(self, caller: Caller, public_key: bytes, store_name: str | None = None
             ) -> DeviceCertificate:
        """Certify a kiosk's card-signing key for its prefix (once; a second pairing with
        another key is refused, so a leaked token can't re-key a kiosk). The kiosk's store
        is kept if the ledger has none for it yet: its store-limited promotions are judged
        with it (the operator's word, ``set_store``, stands over the kiosk's)."""
        with self.engine.begin() as conn:
            device = conn.execute(select(m.Device).where(m.Device.id == caller.device_id)).one()
            if device.card_prefix is None:
                raise LedgerRefusal(403, "not_a_kiosk", "only kiosks issue cards")
            if store_name and device.store_name is None:
                conn.execute(update(m.Device).where(m.Device.id == caller.device_id)
                             .values(store_name=store_name))
            existing = conn.execute(select(m.Certificate.document).where(
                m.Certificate.device_id == caller.device_id)).scalars().all()
            for document in existing:
                cert = DeviceCertificate.from_dict(json.loads(document))
                if cert.public_key == public_key:
                    return cert
                raise LedgerRefusal(409, "already_paired",
                                    "this device is already paired with another key")
            root = DeviceKey.from_bytes(conn.execute(select(m.LedgerKey.root_private)).scalar_one())
            cert = certify_device(root, public_key, device_id=caller.device_id,
                                  card_prefix=device.card_prefix, issued_at=self.clock())
            conn.execute(insert(m.Certificate).values(
                key_id=cert.key_id, device_id=caller.device_id,
                document=json.dumps(cert.to_dict()), revoked=False))
            return cert

    def set_store(self, device_id: str, store: str) -> None:
        """The store a kiosk stands in, by the ledger's operator."""
        with self.engine.begin() as conn:
            done = conn.execute(update(m.Device).where(m.Device.id == device_id)
                                .values(store_name=store)).rowcount
        if not done:
            raise LedgerRefusal(404, "unknown_device", f"no device {device_id!r}")

    def store_of(self, conn: Connection, device_id: str) -> str | None:
        return conn.execute(select(m.Device.store_name)
                            .where(m.Device.id == device_id)).scalar()

    def revoke_card(self, card_no: str) -> None:
        with self.engine.begin() as conn:
            insert_ignore(conn, m.Revocation.__table__,
                          [{"card_no": card_no, "revoked_at": self.clock()}])

    def state(self, *, announced: bool = False) -> DeviceState:
        """What a kiosk caches besides entries: the program in force, the root key, the
        certified keys and what is revoked; with ``announced``, the versions published to
        take effect later too."""
        now = self.clock()  # one moment: a version taking effect is in one list or the other
        with self.engine.connect() as conn:
            document, program = self.programs.current(conn, now)
            later = self.programs.announced(conn, now) if announced else []
            root = conn.execute(select(m.LedgerKey.root_private)).scalar_one()
            certs = conn.execute(select(m.Certificate.document, m.Certificate.revoked)).all()
            revoked = conn.execute(select(m.Revocation.card_no)).scalars().all()
        return DeviceState(
            program_version=program.version, program=document,
            root_public_key=key_to_text(DeviceKey.from_bytes(root).public_bytes()),
            certificates=[json.loads(c.document) for c in certs],
            revoked_keys=[json.loads(c.document)["key_id"] for c in certs if c.revoked],
            revoked_cards=list(revoked), ledger_time=now,
            announced=[AnnouncedProgram(version=v, program=d, effective_from=at)
                       for at, v, d in later])

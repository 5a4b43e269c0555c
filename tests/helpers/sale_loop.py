"""Child process for the crash test: rings up sales forever, reporting each one.

``TRY <order>`` is written before a sale, ``ACK <order> <entry-id> <points>`` only after
the service returned, i.e. after the commit. Orders named on the command line are retried
first (the parent passes those it saw tried but never acknowledged).
"""

from __future__ import annotations

import itertools
import sys
import uuid
from pathlib import Path

from kiosk.app.bootstrap import bootstrap
from kiosk.services import Sale, ring_up_sale


def main() -> None:
    data_dir, member, run = Path(sys.argv[1]), uuid.UUID(sys.argv[2]), sys.argv[3]
    retries = sys.argv[4:]
    kiosk = bootstrap(data_dir)
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    orders = itertools.chain(retries, (f"{run}-{i}" for i in itertools.count()))
    for order in orders:
        out.write(f"TRY {order}\n")
        out.flush()
        result = ring_up_sale(kiosk, Sale(member, 100 + len(order), order))
        out.write(f"ACK {order} {result.entries[0].id} {int(result.duplicate)}\n")
        out.flush()


if __name__ == "__main__":
    main()

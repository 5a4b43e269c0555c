"""The program engine (DESIGN, "The program engine: orders in, entries out"): an order and
the member's state as the counter knew it go in, awards come out. Pure: no clock, no
store, no I/O, so the kiosk and the ledger run the very same code and get the same
entries. Each module holds one part of the program document (its pydantic section) and
the rules that read it; none imports :mod:`kiosk.program`, which composes the sections."""

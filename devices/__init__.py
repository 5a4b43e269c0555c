"""Counter hardware as plain events and plain output; nothing here knows the loyalty rules.

- ``scan``: ``ScanEvent(text, source)``, what every scanner produces, and the pure text
  handling they share (AIM prefixes, line framing with a cap, limits).
- ``serial_scanner``: a scanner on a serial port, on its own QThread, surviving replugs.
- ``wedge`` / ``wedge_timing``: a keyboard-wedge scanner told apart from typing by timing.
- ``camera``: a camera as a scanner (optional: QtMultimedia is imported only when used).
- ``receipt`` / ``printer``: receipts as data, rendered to ESC/POS, sent to a printer.
- ``card_image``, ``labels``: member cards (CR80) and product labels as images.
- ``catalogue``: the product catalogue scanned barcodes are looked up in.
- ``settings``: ``devices.json`` in the kiosk's data folder.
- ``threads``: putting a worker on a QThread and taking it down.
"""

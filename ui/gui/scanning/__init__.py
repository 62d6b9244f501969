"""Scanners in the GUI: readers of serial ports and input devices bridged to Qt signals
(readers.py), the application-wide keyboard-wedge filter (wedge_filter.py), the router that hands
every scan to the screen that takes scans now (router.py), and ``Scanners`` that owns them all
(scanners.py). Nothing is imported here: pyserial loads only on a till that has a serial scanner."""

"""Scanners in the GUI: the serial scanner's thread bridged to Qt signals, the application-wide
keyboard-wedge filter, and the router that hands every scan to the screen that takes scans now."""

from ui.gui.scanning.router import ScanRouter
from ui.gui.scanning.serial_scanner import SerialScanner
from ui.gui.scanning.wedge_filter import WedgeFilter

__all__ = ["ScanRouter", "SerialScanner", "WedgeFilter"]

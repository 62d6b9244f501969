"""Scanners in the GUI: the serial scanner's thread bridged to Qt signals, the application-wide
keyboard-wedge filter, and the router that hands every scan to the screen that takes scans now."""

from ui.gui.scanning.readers import InputDeviceScanner, SerialScanner
from ui.gui.scanning.router import ScanRouter
from ui.gui.scanning.scanners import Scanners
from ui.gui.scanning.wedge_filter import WedgeFilter

__all__ = ["InputDeviceScanner", "ScanRouter", "Scanners", "SerialScanner", "WedgeFilter"]

"""Barcode scanners without Qt: serial frame decoding, the keyboard-wedge classifier and the
serial reader thread (pyserial) that survives unplug and replug."""

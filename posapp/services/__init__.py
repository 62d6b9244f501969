"""Services: one function per user action, each its own unit of work.

Both faces of the app (ui.cli and ui.gui) call these and only these, so they cannot disagree.
Services take plain values and return plain dataclasses; no ORM object leaves a service.
"""

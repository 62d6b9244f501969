"""posapp core: domain model, database, services, coupon codes. No Qt, no HTTP, no PDF."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("posapp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

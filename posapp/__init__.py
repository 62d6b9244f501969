"""posapp core: domain model, database, services, coupon codes. No Qt, no HTTP, no PDF."""

from typing import Any


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed package's metadata when first asked for: loading
    importlib.metadata costs every start of the till about 35 ms that it does not need."""
    if name != "__version__":
        raise AttributeError(f"module 'posapp' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("posapp")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found

"""The checkout screen."""

from ui.gui.checkout.widget import CheckoutWidget

__all__ = ["CheckoutWidget"]

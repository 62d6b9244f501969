"""The till's link to its hub, on screen: periodic sync, the status-bar indicator, coupons
cleared and items reserved at the hub while selling, and the back office's Sync page.

Loaded only on a till linked to a hub (``linked.has_hub_link``): an unlinked till never imports
sync, httpx or pydantic.
"""

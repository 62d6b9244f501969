"""Stock counts by scanning, and low stock: the count screen (page.py), the alert list
(alerts_page.py) and the status-bar badge (badge.py). Import them from their modules: the badge
loads at start-up, the screens only when the back office opens."""

"""One module per area of the back office; each adds its subcommands with ``register``."""

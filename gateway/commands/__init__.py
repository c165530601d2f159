"""The subcommands of `spacecraft-gateway`, one module each with a `register(subparsers)`."""

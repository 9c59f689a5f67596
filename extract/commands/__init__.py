"""One module per `refs` subcommand, each with `register(subparsers)`."""

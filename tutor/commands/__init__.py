"""One module per `ktutor` subcommand, each with `add_arguments(parser)` and `run(args)`."""

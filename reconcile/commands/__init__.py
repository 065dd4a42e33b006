"""CLI commands: thin layers that parse options, call the library and render its results."""

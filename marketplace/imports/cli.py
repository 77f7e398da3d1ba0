"""`flask listings import FILE`."""


def register_import_commands(group):
    """Attach the import command to the `listings` command group."""

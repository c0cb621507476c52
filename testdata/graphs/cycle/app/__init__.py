"""A three-module runtime cycle and a TYPE_CHECKING-only cycle."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.a import run


def finish():
    return 1

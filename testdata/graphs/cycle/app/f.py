from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.e import E

F = 1

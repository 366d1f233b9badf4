"""merge orders and menu branches

Revision ID: 7f2e4c9b1d83
Revises: 4b6d9e2f8a01, 9a3c5f71e8d6
Create Date: 2026-10-05 09:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "7f2e4c9b1d83"
down_revision: Union[str, Sequence[str], None] = ("4b6d9e2f8a01", "9a3c5f71e8d6")
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""create customers

Revision ID: 8d41e07c5a92
Revises: 3f9c1d2a7b10
Create Date: 2026-09-03 14:02:10.552913

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "8d41e07c5a92"
down_revision: str | None = "3f9c1d2a7b10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("customers")

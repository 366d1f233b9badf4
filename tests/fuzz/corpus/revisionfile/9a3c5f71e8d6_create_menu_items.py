"""create menu_items

Written on a branch while orders were being built; merged in 7f2e4c9b1d83.

Revision ID: 9a3c5f71e8d6
Revises: 1e0b7a66d2c4
Create Date: 2026-10-03 15:41:12.877190

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9a3c5f71e8d6"
down_revision = "1e0b7a66d2c4"
branch_labels = ("menu",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "menu_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("price", sa.Numeric(6, 2), nullable=False),
        sa.CheckConstraint("price > 0", name="ck_menu_items_price_positive"),
        sa.UniqueConstraint("name", name="uq_menu_items_name"),
    )


def downgrade() -> None:
    op.drop_table("menu_items")

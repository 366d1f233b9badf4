"""create orders

Revision ID: 4b6d9e2f8a01
Revises: 1e0b7a66d2c4
Create Date: 2026-10-02 10:03:29.604415

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "4b6d9e2f8a01"
down_revision = "1e0b7a66d2c4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("placed_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
        sa.Column("total", sa.Numeric(8, 2), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_orders_customer_id_customers", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_orders_customer_id", "orders", ["customer_id"])


def downgrade() -> None:
    # The table takes its index and foreign key with it. Dropping the index first fails on
    # MySQL and MariaDB: the foreign key needs it (error 1553).
    op.drop_table("orders")

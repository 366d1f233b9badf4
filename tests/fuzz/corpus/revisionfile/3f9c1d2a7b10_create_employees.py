"""create employees

Revision ID: 3f9c1d2a7b10
Revises:
Create Date: 2026-09-01 09:12:44.118201

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3f9c1d2a7b10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employees",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("employees")

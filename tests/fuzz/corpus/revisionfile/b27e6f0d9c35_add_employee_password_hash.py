"""add employees.password_hash (nullable for now)

Step 1 of 2: the column arrives nullable so existing rows stay valid;
the next revision fills it in and only then makes it NOT NULL.

Revision ID: b27e6f0d9c35
Revises: 8d41e07c5a92
Create Date: 2026-09-10 11:45:03.020417

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b27e6f0d9c35"
down_revision = "8d41e07c5a92"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("password_hash", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees") as batch_op:
        batch_op.drop_column("password_hash")

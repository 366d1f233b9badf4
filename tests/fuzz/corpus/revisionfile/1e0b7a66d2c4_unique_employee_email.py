"""unique index on employees.email

Revision ID: 1e0b7a66d2c4
Revises: c5a8830e41f7
Create Date: 2026-09-15 16:20:51.339482

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "1e0b7a66d2c4"
down_revision = "c5a8830e41f7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_employees_email", "employees", ["email"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_employees_email", table_name="employees")

"""fill employees.password_hash, then make it NOT NULL

Step 2 of 2: a data migration gives every existing employee a locked
password (they must reset it), then the column becomes NOT NULL.

Revision ID: c5a8830e41f7
Revises: b27e6f0d9c35
Create Date: 2026-09-10 11:52:37.771090

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c5a8830e41f7"
down_revision = "b27e6f0d9c35"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE employees SET password_hash = '!locked' WHERE password_hash IS NULL"
    )
    with op.batch_alter_table("employees") as batch_op:
        # SQLite rebuilds the table here; the NOT VALID advice is for large PostgreSQL tables.
        # retort: ignore[validate-constraint-separately]
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("employees") as batch_op:
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=True)
    op.execute(sa.text("UPDATE employees SET password_hash = NULL WHERE password_hash = '!locked'"))

"""add email to employees

Revision ID: 3f2a9c1d0b7e
Revises: 1b2c3d4e5f60
Create Date: 2026-03-01 12:00:31.401922

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "3f2a9c1d0b7e"
down_revision: Union[str, Sequence[str], None] = ("1b2c3d4e5f60", 'a' 'b')
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # op.add_column("employees", sa.Column("old", sa.String()))
    with op.batch_alter_table("employees", schema=None) as b:
        b.add_column(sa.Column("email", sa.String(length=255), nullable=True))
        b.create_index(b.f("ix_employees_email"), ["email"], unique=False)
    op.execute("UPDATE employees SET email = '' WHERE email IS NULL")
    op.execute(sa.text("""
        DELETE FROM audit_log
        WHERE created < now() - interval '1 year'
    """))


def downgrade() -> None:
    with op.batch_alter_table("employees") as batch_op:
        batch_op.drop_index("ix_employees_email")
        batch_op.drop_column("email")

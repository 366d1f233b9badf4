"""Fix the thing

Revision ID: abc123
Revises: 
Create Date: 2026-01-01\tnow

"""
from alembic import op

revision = "abc123"
down_revision = None


def upgrade():
    op.execute("SELECT 1")


def downgrade():
    pass

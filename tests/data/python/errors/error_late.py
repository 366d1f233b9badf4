"""doc"""
revision = "a"
down_revision = None


def upgrade():
    op.add_column("t", sa.Column("c", sa.Integer())


def downgrade():
    pass

def upgrade():
    op.add_column("t", sa.Column("c", nullable=True, nullable=False))

from app import consts
revision = consts.REV
down_revision = [[(("a1",),)], "b"]
branch_labels = ("x",) if True else None
def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer))
def downgrade():
    op.drop_table("t")

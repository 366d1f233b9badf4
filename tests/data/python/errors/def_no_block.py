def upgrade():
pass

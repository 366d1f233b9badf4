def upgrade(:):
    pass

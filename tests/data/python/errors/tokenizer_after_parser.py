def upgrade(:):
    x = "abc

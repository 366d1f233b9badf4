op.add_column("t",

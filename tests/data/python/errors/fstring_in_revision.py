revision = "a"
down_revision = None
x = f"{", ".join(["a"])}"

"""PEP 701 f-strings: valid on Python 3.12+, refused by 3.11."""
revision = "p701"
down_revision = None
names = ["a", "b"]
sql = f"SELECT {", ".join(names)} FROM t"
multi = f"{
    len(names)  # a comment inside the field
    + 1
}"
nested = f"{f"{f"{names[0]}"}"}"
escaped = f"{'\n'.join(names)}"
spec = f"{names[0]:{"<"}{10}}"


def upgrade():
    op.execute(f"UPDATE t SET {names[0]} = 1")

# -*- coding: latin-1 -*-
"""doc
"""
revision: str = "abc"
down_revision: Union[str, Sequence[str], None] = ("a1", "b2")
branch_labels = {"x"}
depends_on = None

def upgrade() -> None:
    op.execute("""SELECT 1""")

"""doc

revision = "a"

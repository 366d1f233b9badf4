x = f"{x!r }"

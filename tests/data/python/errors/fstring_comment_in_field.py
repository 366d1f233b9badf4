x = f"{a # c
}"

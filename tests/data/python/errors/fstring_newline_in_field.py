x = f"{x
}"

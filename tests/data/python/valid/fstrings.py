# f-strings both 3.11 and 3.12+ read (3.12+ tokenize them into pieces)
name, width, value = "a", 4, 1.5
a = f"plain {name} {name!r:>{width}} {value=} {value=:.2f} {{braces}} }}{{"
b = f'{name:{width}.{width}}' F"{value!a}" rf"\d{name}\{{" f"""{
    name
}"""
c = f"{name:}" f"{name!s:}" f"\N{DIGIT ONE}{name}" f"{'x' if name else 'y'}" f"{[1, 2][0]:02d}"
d = (f"{a}" "plain" f"{a[1:2]}"
     f"{ {'k': 1}['k'] }" f"{(lambda x: x)(1)}" f"{a!r:{'>'}{10}}" f"{a:=^10}" f"{a!=b}")

match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        print("Origin")
    case Point(x, y) if x == y:
        pass
    case {"x": 1, **rest}:
        pass
    case [1, 2, *others] | (3 | 4) as grouped:
        pass
    case -1 | 1.5 | "s" | b"b" | None | True | False:
        pass
    case Color.RED:
        pass
    case _:
        pass
match x, y:
    case (a, b):
        pass

# A generator expression in its own parentheses is an argument like any other
# (privacyidea's d0e7144947d0: next((uq['name'] for uq in ...), 'rrix_2',)).
first = next((u for u in range(3) if u), None)
second = next(
    (uq["name"] for uq in constraints
     if set(uq["column_names"]) == target_cols and uq["name"]),
    "rrix_2",
)
third = f((a for a in b), (c for c in d), *rest, key=(e for e in g))
fourth = g(x for x in y)
fifth = h((x for x in y),)
class C((b for b in bases), metaclass=M):
    pass

import os.path as osp, sys
from . import sibling
from ..pkg.mod import (a as b, c,)
from .mod import *


@decorator
@decorator.with_args(1, key=[x for x in range(3) if x])
class Thing(Base, metaclass=Meta, **extra):
    """Doc."""
    attr: int = 0
    (paren): str
    other: "List[int]"

    def method(self, a, /, b: int = 1, *args: str, c, d=2, **kw) -> "Thing":
        global counter
        nonlocal_value = lambda x, *y, z=1, **w: (x, y, z, w)
        return self

    async def run(self):
        async with lock as held, other():
            async for item in aiter():
                await item
        result = [await x async for x in agen()]
        return result


def gen(n):
    x = yield n
    yield from range(n)
    yield
    return (yield)


try:
    pass
except (ValueError, TypeError) as exc:
    raise RuntimeError("boom") from exc
except Exception:
    raise
else:
    del a, b[0], c.d
finally:
    assert True, "message"

while not done and (x := compute()) is not None:
    if x in {1, 2} or x not in {3: 4, **more}:
        continue
    elif x is not y:
        break
    else:
        pass
else:
    pass

for i, (j, *k) in enumerate(items):
    matrix[i][1:2, ::3, ...] = -~+j ** -2 ** 0.5
    total += i; total -= 1
    x = a if b else c if d else e
    y = a < b <= c != d == e > f >= g
    z = a | b ^ c & d << e >> f + g - h * i / j // k % l @ m

with (open("a") as f, open("b") as g):
    pass
with (yield_value):
    pass

values = {k: v for k, v in pairs}, {s for s in ss}, (g for g in gs)
call(*args, *more, key=1, **kw, **kw2)
text = f"{name!r:>{width}} {value=} {obj.attr['k']:%Y-%m-%d} {{literal}}"
raw = rb'\d' + br"\n" + B"x" + Rb'''y'''
numbers = 0xFF + 0o17 + 0b101 + 1_000_000 + 3.14e-10 + 2j + .5 + 5. + 0
strings = u"unicode" 'implicit' "concat" """triple
quoted""" '\x41\u00e9\U0001F600\101\n\t\\'
empty = (), [], {}
single = (1,)
ellipsis = ...
sub = a[b][c:d][::][1:]
starred = [*a, *b]
first, *rest = items
a = b = c = 1
x: list[int]
x.y: int = 1
print(*[1], sep="")
not_a_keyword = match = case = _ = 1
lambda: 0
if (n := 10) > 5: pass

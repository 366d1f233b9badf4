"""PEP 695 type parameters: valid on Python 3.12+, refused by 3.11."""
type Point = tuple[float, float]
type ListOrSet[T] = list[T] | set[T]


def first[T](items: list[T]) -> T:
    return items[0]


class Box[T: (int, str), *Ts, **P]:
    def get[U: int](self) -> U: ...


async def run[**P, T](f) -> None: ...
type = 1
type.x = 2
print(type)

"""PEP 696 type parameter defaults: valid on Python 3.13+, refused by 3.11 and 3.12."""
def f[T = int](x: T) -> T:
    return x


class A[T: int = bool, *Ts = *tuple[int], **P = [int, str]]: ...
type Alias[T = str] = list[T]

def g():
    f(b, a=1, **k, a=2)

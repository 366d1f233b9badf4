def f():
    with a:
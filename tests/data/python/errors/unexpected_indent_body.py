def f():
  a
    b

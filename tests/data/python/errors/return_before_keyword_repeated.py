return 3
f(a=1, a=2)

f(a=1, a=2)
return 3

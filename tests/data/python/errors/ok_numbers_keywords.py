x = 1if 1else 2
y = 0_0 + 09.5 + 00 + 0e1 + 1.e5j

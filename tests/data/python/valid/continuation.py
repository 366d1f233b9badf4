x = 1 + \
    2
if x and \
   y:
    z = [
        1,
          2,
    # comment inside brackets
    3]
    def f(
a,
    b): return a
# trailing comment
	

if x:
  
# c

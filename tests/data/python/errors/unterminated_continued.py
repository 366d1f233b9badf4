x = 1
y = 'ab\
cd

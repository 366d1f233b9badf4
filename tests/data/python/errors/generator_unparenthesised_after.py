f((a for a in b), x for x in y)

owner = "x"
ownr  = "y"
count = "many"

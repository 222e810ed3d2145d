c   = "file2"
d   = "file2"
obj = { x = 7 }

b = "file1"
c = "file1"
d = "file1"

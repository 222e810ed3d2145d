# The suffix is wrong: configuration files end in .mk.hcl.

print("varlink: not yet")

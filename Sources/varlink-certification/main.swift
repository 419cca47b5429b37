print("varlink-certification: not yet")

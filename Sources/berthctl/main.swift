print("berthctl: not yet")

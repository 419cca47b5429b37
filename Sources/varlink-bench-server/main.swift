print("varlink-bench-server: not yet")

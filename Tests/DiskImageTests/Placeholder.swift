// DiskImageTests: placeholder until its first test lands.

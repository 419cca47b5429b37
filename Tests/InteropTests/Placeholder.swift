// InteropTests: placeholder until its first test lands.

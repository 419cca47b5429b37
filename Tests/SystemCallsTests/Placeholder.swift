// SystemCallsTests: placeholder until its first test lands.

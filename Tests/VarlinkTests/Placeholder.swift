// VarlinkTests: placeholder until its first test lands.

// VarlinkIDLTests: placeholder until its first test lands.

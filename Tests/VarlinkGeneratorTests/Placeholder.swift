// VarlinkGeneratorTests: placeholder until its first test lands.

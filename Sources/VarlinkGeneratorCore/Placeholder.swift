// VarlinkGeneratorCore: placeholder until its first file lands.

// VarlinkCLI: placeholder until its first file lands.

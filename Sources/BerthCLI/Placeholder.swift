// BerthCLI: placeholder until its first file lands.

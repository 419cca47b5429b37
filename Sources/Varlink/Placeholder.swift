// Varlink: placeholder until its first file lands.

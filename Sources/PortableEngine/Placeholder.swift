// PortableEngine: placeholder until its first file lands.

// PortableEngineTests: placeholder until its first test lands.

// VarlinkIDL: placeholder until its first file lands.

// Cryptsetup: placeholder until its first file lands.

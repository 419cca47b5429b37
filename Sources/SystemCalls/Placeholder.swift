// SystemCalls: placeholder until its first file lands.

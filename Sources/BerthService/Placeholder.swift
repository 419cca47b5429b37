// BerthService: placeholder until its first file lands.

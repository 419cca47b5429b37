// Systemd: placeholder until its first file lands.

// BerthDaemon: placeholder until its first file lands.

// VarlinkCertification: placeholder until its first file lands.

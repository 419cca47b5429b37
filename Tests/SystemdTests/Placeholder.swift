// SystemdTests: placeholder until its first test lands.

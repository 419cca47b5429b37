// CLITests: placeholder until its first test lands.

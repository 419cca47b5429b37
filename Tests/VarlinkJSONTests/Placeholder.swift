// VarlinkJSONTests: placeholder until its first test lands.

import VarlinkCLI

await VarlinkTool.runMain()

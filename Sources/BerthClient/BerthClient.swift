// BerthClient: generated from io.berth.Portable.varlink by the build plugin.

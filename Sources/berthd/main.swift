import BerthDaemon
import Glibc

exit(Daemon.main(arguments: CommandLine.arguments))

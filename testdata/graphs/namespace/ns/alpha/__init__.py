from ns.beta import tools

VERSION = 1

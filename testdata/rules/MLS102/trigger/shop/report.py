from shop import util

util.log("report")

from shop.util import log

log("train")

from shop.util import log

log("serve")

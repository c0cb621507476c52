from shop.util import log


def test_log():
    log("x")

import app.a


def helper():
    return app.a

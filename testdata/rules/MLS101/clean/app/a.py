from app import b


def run():
    return b.step()

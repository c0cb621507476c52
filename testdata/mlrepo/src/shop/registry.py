"""Model registry."""
REGISTRY = {}


def register(name):
    def wrap(cls):
        REGISTRY[name] = cls
        return cls

    return wrap


def build(name, **kwargs):
    match name:
        case "linear":
            return REGISTRY["linear"](**kwargs)
        case "tree" | "forest":
            return REGISTRY[name](**kwargs)
        case _:
            raise KeyError(name)

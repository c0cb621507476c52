import importlib

from models import zoo


def build(cfg):
    model_cls = getattr(zoo, cfg.model_name)
    return model_cls()


def load_plugin(name):
    return importlib.import_module(f"models.plugins.{name}")


def activation(expr):
    return eval(expr)

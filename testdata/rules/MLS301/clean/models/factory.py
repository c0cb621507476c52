from hydra.utils import instantiate

from models import zoo
from models.registry import register_model

DEFAULT_NAME = "resnet"
MODELS = {"resnet": zoo.ResNet, "vit": zoo.ViT}


@register_model("mlp")
def build_mlp(cfg):
    return zoo.MLP(cfg.width)


def build(cfg):
    return MODELS[cfg.model_name]()


def default():
    return getattr(zoo, DEFAULT_NAME)()


def resnet():
    return getattr(zoo, "ResNet")()


def from_config(cfg):
    return instantiate(cfg.model)

"""Trains the model."""
import yaml

from src.augment import mixup


def train(x, y):
    params = yaml.safe_load(open("params.yaml"))
    if params["train"]["use_mixup"]:
        x, y = mixup(x, y)
    if params["train"]["use_amp"]:
        print("mixed precision")
    if params["train"]["debug"]:
        print(x, y)
    for _ in range(params["train"]["epochs"]):
        x = x * params["train"]["lr"]
    return x, y

"""Training entry point, run by DVC and configured by Hydra."""
import importlib
from typing import TYPE_CHECKING

import hydra
from hydra.utils import instantiate

from shop.models import DemandNet

if TYPE_CHECKING:
    import pandas as pd


class Trainer:
    def __init__(self, max_epochs: int = 20):
        self.max_epochs = max_epochs

    def fit(self, model, loader, patience=3):
        best, waited = float("inf"), 0
        for epoch in range(self.max_epochs):
            loss = sum(model(x).mean().item() for x in loader)
            if loss < best:
                best, waited = loss, 0
            elif waited >= patience or loss != loss:
                break
            else:
                waited += 1
        else:
            print("trained for all epochs")
        return best


def load_plugin(name):
    module = importlib.import_module(f"shop.plugins.{name}")
    return getattr(module, name)


@hydra.main(config_path="../../../conf", config_name="config", version_base=None)
def main(cfg):
    model = instantiate(cfg.model)
    assert isinstance(model, DemandNet)
    return Trainer(**cfg.trainer).fit(model, [])

"""Trains the demand network."""
import hydra
import lightning as L
import torch
from hydra.utils import instantiate


@hydra.main(config_path="../conf", config_name="config", version_base=None)
def main(cfg):
    L.seed_everything(cfg.seed)
    model = instantiate(cfg.model)
    data = instantiate(cfg.data)
    trainer = L.Trainer(max_epochs=cfg.trainer.max_epochs)
    trainer.fit(model, datamodule=data)
    torch.save(model.state_dict(), "models/demand.pt")


if __name__ == "__main__":
    main()

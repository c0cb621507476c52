import hydra
import lightning as L
import torch
from hydra.utils import instantiate
from omegaconf import DictConfig


class LitModel(L.LightningModule):
    def __init__(self, net, lr=1e-3):
        super().__init__()
        self.save_hyperparameters(ignore=["net"])
        self.net = net

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


@hydra.main(config_path="conf", config_name="train", version_base=None)
def main(cfg: DictConfig):
    net = instantiate(cfg.model.net)
    datamodule = hydra.utils.instantiate(cfg.data)
    model = LitModel(net, lr=cfg.optim.lr)
    trainer = L.Trainer(max_epochs=cfg.trainer.get("max_epochs", 10), **cfg.trainer.extra)
    trainer.fit(model, datamodule=datamodule)
    torch.save(model.state_dict(), cfg.paths.checkpoint)


if __name__ == "__main__":
    main()

"""The orders data module."""
import lightning as L
import pandas as pd


class OrdersDataModule(L.LightningDataModule):
    def __init__(self, path: str, batch_size: int):
        super().__init__()
        self.save_hyperparameters()

    def setup(self, stage=None):
        self.frame = pd.read_parquet(self.hparams.path)

"""The demand network."""
import lightning as L
from torch import nn


class Encoder(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.layer = nn.Linear(8, hidden)


class DemandNet(L.LightningModule):
    def __init__(self, hidden: int, optimizer):
        super().__init__()
        self.encoder = Encoder(hidden)
        self.optimizer = optimizer

    def training_step(self, batch, batch_idx):
        return self.encoder(batch).mean()


class WideDemandNet(DemandNet):
    """The same network, wider."""

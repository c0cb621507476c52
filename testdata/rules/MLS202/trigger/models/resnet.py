"""The ResNet in use."""
import torch.nn as nn


class ResNet(nn.Module):
    def forward(self, x):
        return x

import torch.nn as nn


def split(data, ratio):
    n = int(len(data) * ratio)
    return data[:n], data[n:]


class Head(nn.Module):
    def rank(self, x) -> float:
        return float(x)

    def reset(self, seed: int):
        self.seed = seed

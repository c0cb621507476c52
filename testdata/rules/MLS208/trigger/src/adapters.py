"""Converters between the frameworks the pipeline touches."""
import numpy as np
import pandas as pd
import torch


def to_tensor(frame):
    return torch.tensor(frame.values, dtype=torch.float32)


def to_frame(tensor, columns):
    return pd.DataFrame(tensor.numpy(), columns=columns)


def from_array(values):
    return torch.from_numpy(np.asarray(values))


def stack(tensors):
    return torch.stack(tensors)


def concat(frames):
    return pd.concat(frames, ignore_index=True)


def zeros_like(frame):
    return pd.DataFrame(np.zeros(frame.shape), columns=frame.columns)

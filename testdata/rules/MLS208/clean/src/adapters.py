"""Converters between the frameworks the pipeline touches, with checks."""
import numpy as np
import pandas as pd
import torch


def to_tensor(frame):
    check(frame)
    return torch.tensor(frame.values, dtype=torch.float32)


def to_frame(tensor, columns):
    check(columns)
    return pd.DataFrame(tensor.numpy(), columns=columns)


def from_array(values):
    check(values)
    return torch.from_numpy(np.asarray(values))


def stack(tensors):
    check(tensors)
    return torch.stack(tensors)


def concat(frames):
    check(frames)
    return pd.concat(frames, ignore_index=True)


def check(value):
    if value is None:
        raise ValueError("missing value")
    print(len(value))

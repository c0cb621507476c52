import pandas as pd


def load(root, split):
    return pd.read_parquet(f"{root}/{split}/features.parquet")


def load_path(path):
    return pd.read_csv(path)

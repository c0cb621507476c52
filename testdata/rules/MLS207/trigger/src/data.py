"""Loading helpers, imported by the training stage."""
import pandas as pd


def load_features():
    return pd.read_parquet("data/features.parquet")

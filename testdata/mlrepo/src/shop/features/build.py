"""Feature engineering for orders."""
import sys

import pandas as pd


def add_features(df: pd.DataFrame, window_days: int = 28) -> pd.DataFrame:
    """Adds rolling demand and price features."""
    df["revenue"] = df["price"] * df["qty"]
    df["rolling_qty"] = df["qty"].rolling(window_days, min_periods=1).mean()
    df = df.assign(discounted=lambda d: d["discount"] > 0)
    return df


def clean(df):
    keep = [c for c in df.columns if not c.startswith("_") and c != "id"]
    df = df[keep]
    try:
        df["price"] = df["price"].astype(float)
    except (TypeError, ValueError):
        df["price"] = 0.0
    else:
        df = df[df["price"] >= 0]
    return df


if __name__ == "__main__":
    add_features(clean(pd.read_csv(sys.argv[1]))).to_parquet(sys.argv[2])

"""Builds the features."""
import pandas as pd

if __name__ == "__main__":
    df = pd.read_csv("data/raw.csv")
    df.to_parquet("data/features.parquet")

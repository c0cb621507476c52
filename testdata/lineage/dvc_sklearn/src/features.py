"""Builds the order features."""
import pandas as pd
import yaml


def add_features(df, params):
    df["revenue"] = df["price"] * df["qty"]
    df["is_discounted"] = df["discount"] > 0
    window = params["features"]["window"]
    df["revenue_avg"] = df["revenue"].rolling(window).mean()
    return df


def main():
    with open("params.yaml") as f:
        params = yaml.safe_load(f)
    df = pd.read_csv("data/clean.csv")
    df = add_features(df, params)
    df.to_parquet(f"data/features_{params['features']['window']}.parquet")
    df.to_parquet("data/features.parquet")


if __name__ == "__main__":
    main()

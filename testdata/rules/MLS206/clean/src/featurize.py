"""Builds the customer features."""
import pandas as pd


def featurize():
    df = pd.read_csv("data/customers.csv")
    df["ratio"] = df["orders"] / df["visits"]
    df["days_since_signup_v2"] = (df["today"] - df["signup"]).dt.days
    df["ratio"] = df["ratio"].fillna(0)
    df.to_parquet("data/features.parquet")


if __name__ == "__main__":
    featurize()

"""Cleans the raw orders."""
import pandas as pd


def main():
    df = pd.read_csv("data/raw/orders.csv")
    df["order_date"] = pd.to_datetime(df["ts"])
    df.to_csv("data/clean.csv", index=False)


if __name__ == "__main__":
    main()

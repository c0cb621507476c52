"""Trains the churn model on named features."""
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression


def train():
    df = pd.read_parquet("data/features.parquet")
    model = LogisticRegression()
    model.fit(df[["ratio", "age", "days_since_signup_v2"]], df["churned"])
    joblib.dump(model, "models/churn.pkl")


if __name__ == "__main__":
    train()

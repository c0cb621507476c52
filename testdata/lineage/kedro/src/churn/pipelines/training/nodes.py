"""The training nodes."""
import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def clean(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.dropna()


def build_features(orders, params):
    orders["revenue"] = orders["price"] * orders["qty"]
    return orders


def split(features):
    return features.drop(columns=["churned"]), features["churned"]


def train(X, y, params):
    model = RandomForestClassifier(n_estimators=params["n_estimators"])
    model.fit(X, y)
    return model

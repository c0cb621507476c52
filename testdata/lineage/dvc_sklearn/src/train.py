"""Trains the churn model."""
import joblib
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def train(params):
    df = pd.read_parquet("data/features.parquet")
    pre = ColumnTransformer(
        [
            ("num", StandardScaler(), ["revenue", "revenue_avg"]),
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["country"]),
        ]
    )
    pipe = Pipeline([("pre", pre), ("clf", LogisticRegression(C=params["train"]["C"]))])
    pipe.fit(df[["revenue", "revenue_avg", "country"]], df["churned"])
    joblib.dump(pipe, "models/model.pkl")
    return pipe


if __name__ == "__main__":
    train(yaml.safe_load(open("params.yaml")))

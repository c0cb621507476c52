import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def train(path="data/features.parquet"):
    df = pd.read_parquet(path)
    X, y = df.drop(columns=["churned"]), df["churned"]
    pre = ColumnTransformer(
        [
            ("num", StandardScaler(), ["age", "income"]),
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["country"]),
        ],
        remainder="drop",
    )
    model = Pipeline([("pre", pre), ("clf", LogisticRegression(C=1.0, max_iter=200))])
    model.fit(X, y)
    joblib.dump(model, "models/model.pkl")
    return model

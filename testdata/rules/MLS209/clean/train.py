"""Step 3: train (run after featurize.py)."""
import joblib
import pandas as pd
from sklearn.linear_model import LinearRegression

df = pd.read_csv("data/features.csv")
model = LinearRegression().fit(df[["ratio"]], df["y"])
joblib.dump(model, "models/model.pkl")

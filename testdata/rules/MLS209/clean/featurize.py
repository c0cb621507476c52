"""Step 2: features (run after clean.py)."""
import pandas as pd

df = pd.read_csv("data/clean.csv")
df["ratio"] = df["a"] / df["b"]
df.to_csv("data/features.csv", index=False)

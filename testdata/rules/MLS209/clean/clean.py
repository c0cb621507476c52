"""Step 1: clean the raw export."""
import pandas as pd

df = pd.read_csv("data/raw.csv")
df = df.dropna()
df.to_csv("data/clean.csv", index=False)

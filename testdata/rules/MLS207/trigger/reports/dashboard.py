"""A dashboard over the features, run by hand."""
import pandas as pd

df = pd.read_parquet("data/features.parquet")
print(df.describe())

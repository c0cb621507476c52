import pandas as pd

df = pd.read_parquet("data/orders.parquet")
df["basket"] = df["qty"] * df["price"]
df.to_parquet("s3://lake/features")

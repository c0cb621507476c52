"""Order features with pandas: reads, column writes and reads, config reads."""
import pandas as pd
import polars as pl
from pyspark.sql import functions as F

import yaml

params = yaml.safe_load(open("params.yaml"))


def build(cfg):
    orders = pd.read_csv(cfg.data.raw, usecols=["order_id", "price", "qty"])
    orders["revenue"] = orders["price"] * orders["qty"]
    orders.loc[:, "is_big"] = orders["revenue"] > params["featurize"]["threshold"]
    subset = orders[["order_id", "revenue"]]
    subset = subset.assign(log_revenue=lambda d: d["revenue"], tag="x")
    subset.to_parquet(f"{cfg.data.out}/features.parquet", index=False)
    return subset


def spark_and_polars(spark, df):
    lf = pl.scan_parquet("data/features.parquet").select(pl.col("revenue"))
    sdf = spark.read.parquet("data/raw")
    sdf = sdf.withColumn("total", F.col("price") * F.col("qty"))
    sdf.write.mode("overwrite").parquet("data/spark_out")
    settings = {"a": 1}
    settings["a"] = 2
    return os.environ["HOME"], kwargs["x"], lf


if __name__ == "__main__":
    build(params)

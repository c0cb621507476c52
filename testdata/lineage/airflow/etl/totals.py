from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()


def run():
    orders = spark.read.parquet("data/orders.parquet")
    orders = orders.withColumn("total", orders["qty"] * orders["price"])
    orders.write.mode("overwrite").parquet("data/totals.parquet")
    returns = spark.sql(f"SELECT * FROM {orders}")
    return returns

import pandas as pd


def load(con):
    orders = pd.read_csv("data/raw/orders.csv")
    lake = pd.read_parquet("s3://corp-lake/sales/2024.parquet")
    sales = pd.read_sql("SELECT * FROM warehouse.sales", con)
    interim = pd.read_csv("data/interim/joined.csv")
    return orders, lake, sales, interim


def join(orders):
    orders.to_csv("data/interim/joined.csv")

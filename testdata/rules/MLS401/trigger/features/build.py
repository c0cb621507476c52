import pandas as pd


def load(con):
    orders = pd.read_csv("data/raw/orders.csv")
    history = pd.read_csv("data/raw/2024/orders.csv")
    events = pd.read_parquet("s3://marketing-scratch/events/")
    lake = pd.read_parquet("s3://corp-lake/sales/2024.parquet")
    users = pd.read_sql("SELECT * FROM crm.users", con)
    return orders, history, events, lake, users

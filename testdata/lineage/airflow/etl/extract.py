import pandas as pd


def extract_orders():
    orders = pd.read_sql(
        "SELECT * FROM sales.orders JOIN sales.customers ON orders.customer_id = customers.id",
        "postgresql://warehouse/sales",
    )
    orders.to_parquet("data/orders.parquet")

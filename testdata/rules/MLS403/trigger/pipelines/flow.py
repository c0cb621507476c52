import os

import pandas as pd
import requests
from prefect import flow
from sklearn.linear_model import LinearRegression


@flow
def train():
    df = pd.read_csv(os.environ["DATA"])
    requests.post("https://hooks.example.com", json={"rows": len(df)})
    return LinearRegression().fit(df[["x"]], df["y"])

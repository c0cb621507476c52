import os

import pandas as pd
from sklearn.linear_model import LinearRegression


def train():
    df = pd.read_csv(os.environ["DATA"])
    return LinearRegression().fit(df[["x"]], df["y"])

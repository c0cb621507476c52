import importlib

import pandas as pd


def load():
    return pd.read_csv("data/raw/orders.csv")


def dump(df):
    return df.to_json()


def plugin(name):
    return importlib.import_module(name)

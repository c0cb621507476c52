import pandas as pd


def test_load(tmp_path):
    pd.DataFrame({"a": [1]}).to_csv(f"{tmp_path}/x.csv")
    assert len(pd.read_csv(f"{tmp_path}/x.csv")) == 1

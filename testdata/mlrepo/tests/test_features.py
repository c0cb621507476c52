import pandas as pd

from shop.features.build import add_features


def test_revenue():
    df = add_features(pd.DataFrame({"price": [2.0], "qty": [3], "discount": [0]}))
    assert df["revenue"].tolist() == [6.0]
    assert not df["discounted"].any()
